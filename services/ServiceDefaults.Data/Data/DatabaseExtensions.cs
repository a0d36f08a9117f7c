using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.ServiceDefaults.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers a service's DbContext on the provider named by <c>Database:Provider</c> (Sqlite by default, or
    /// Postgres), with its connection string from <c>ConnectionStrings:{name}</c>. On SQLite without a connection
    /// string the file is <c>{Database:DataDirectory}/{name}.db</c>. Also: the schema on start, the readiness
    /// check, the outbox relay, the inbox and outbox upkeep, and the dead-letter check and endpoints under
    /// <c>/api/v1/{name}</c> (the name is the service's path segment too).
    /// </summary>
    /// <param name="postgres">Provider options a service adds on PostgreSQL (the grid's PostGIS types, say).</param>
    /// <param name="postgresTemplate">The template a missing PostgreSQL database is created from (null: the server's default).</param>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string name,
        Action<Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder>? postgres = null, string? postgresTemplate = null)
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

        if (provider == DatabaseProvider.Postgres)
        {
            connectionString = WithPostgresDefaults(connectionString);
        }

        builder.Services.AddSingleton<OutboxSignal<TContext>>();
        // Pooled: a request or message reuses a reset context instead of building one (its services and change tracker).
        builder.Services.AddDbContextPool<TContext>((services, options) =>
        {
            if (provider == DatabaseProvider.Postgres)
            {
                options.UseNpgsql(connectionString, npgsql => postgres?.Invoke(npgsql));
            }
            else
            {
                options.UseSqlite(connectionString);
            }
            options.AddInterceptors(new OutboxSignalInterceptor(services.GetRequiredService<OutboxSignal<TContext>>()));
            // A failed command or save is logged once, by whoever handles it: a 500 by ASP.NET Core, a consumer's
            // fault by MassTransit, a busy database as a 503 warning. Expected failures (a duplicate delivery meeting
            // its inbox row, an optimistic race that is retried, a unique key answered 409) are not errors at all.
            options.ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandError, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug)));
        });
        builder.Services.AddSingleton<DatabaseSchema<TContext>>();
        builder.Services.AddSingleton(new ServiceConnectionString<TContext>(connectionString, postgresTemplate));
        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(name + "-db", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddOptions<InboxOptions>().BindConfiguration("Inbox");
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        builder.Services.AddHostedService<MessageStoreUpkeep<TContext>>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(name + "-outbox",
            services => new OutboxDeadLetterHealthCheck<TContext>(services.GetRequiredService<TContext>(), name),
            // A database that does not answer is the database check's failure; this one only counts dead rows.
            failureStatus: HealthStatus.Degraded, tags: [ServiceDefaultsExtensions.ReadyTag]));
        builder.Services.AddSingleton<IOutboxDeadLetterEndpoints>(new OutboxDeadLetterEndpoints<TContext>(name));
        builder.AddAccessRevocation<TContext>(name);
        return builder;
    }

    /// <summary>
    /// Npgsql settings the services want unless the connection string says otherwise. Statements a connection runs
    /// often are prepared once (PostgreSQL stops parsing and planning them each time); a connection going back to the
    /// pool is not reset with DISCARD ALL, a round trip on every return, since the services keep no session state
    /// (the schema lock is held on a connection outside the pool) and the schema never changes under a running service.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 20;
        }
        if (!HasKey(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }
        return settings.ConnectionString;

        static bool HasKey(string connectionString, params string[] names) =>
            names.Any(name => connectionString.Replace(" ", "", StringComparison.Ordinal)
                .Contains(name.Replace(" ", "", StringComparison.Ordinal) + "=", StringComparison.OrdinalIgnoreCase));
    }
}
