using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.ServiceDefaults.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers a service's DbContext on the provider named by <c>Database:Provider</c> (Sqlite by default, or
    /// Postgres), with its connection string from <c>ConnectionStrings:{name}</c>. On SQLite without a connection
    /// string the file is <c>{Database:DataDirectory}/{name}.db</c>. Also: the schema on start, the readiness
    /// check and the outbox relay.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string name)
        where TContext : ServiceDbContext
    {
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(connectionString))
        {
            var directory = Path.GetFullPath(builder.Configuration["Database:DataDirectory"] ?? "data");
            Directory.CreateDirectory(directory);
            connectionString = $"Data Source={Path.Combine(directory, name + ".db")};Default Timeout=30";
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{name} is required for Database:Provider={provider}.");
        }

        builder.Services.AddSingleton<OutboxSignal<TContext>>();
        builder.Services.AddDbContext<TContext>((services, options) =>
        {
            if (provider == DatabaseProvider.Postgres)
            {
                options.UseNpgsql(connectionString);
            }
            else
            {
                options.UseSqlite(connectionString);
            }
            options.AddInterceptors(new OutboxSignalInterceptor(services.GetRequiredService<OutboxSignal<TContext>>()));
        });
        builder.Services.AddSingleton<DatabaseSchema<TContext>>();
        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(name + "-db", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }
}
