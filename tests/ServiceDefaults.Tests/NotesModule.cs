using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>A tiny service for exercising the shared wiring: notes are written with an event, and a consumer tallies each event.</summary>
public sealed class NotesModule : IServiceModule
{
    public string Name => "notes";

    public void AddServices(IHostApplicationBuilder builder) => builder.AddServiceDatabase<NotesDbContext>(Name);

    public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<TallyNoteAdded>();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}

public sealed record NoteAdded(Guid EventId, DateTimeOffset OccurredAt, DivisionCode DivisionCode, string Text) : IIntegrationEvent;

public sealed class Note
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>One row per time the consumer applied an event: more than one per event means a duplicate got through.</summary>
public sealed class Tally
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
}

public sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
    public DbSet<Tally> Tallies => Set<Tally>();

    public static NoteAdded NewEvent(string text) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, DivisionCode.Parse("321324104201"), text);

    /// <summary>Writes a note and its event in one SaveChanges, as a service's endpoint does.</summary>
    public async Task<NoteAdded> AddNoteAsync(string text)
    {
        var message = NewEvent(text);
        Notes.Add(new Note { Id = Guid.CreateVersion7(), Text = text });
        AddEvent(message, DateTimeOffset.UtcNow);
        await SaveChangesAsync();
        return message;
    }
}

public sealed class TallyNoteAdded(NotesDbContext db, TimeProvider time) : IdempotentConsumer<NoteAdded, NotesDbContext>(db, time)
{
    protected override Task HandleAsync(NoteAdded message, CancellationToken cancellationToken)
    {
        Db.Tallies.Add(new Tally { Id = Guid.CreateVersion7(), EventId = message.EventId });
        return Task.CompletedTask;
    }
}
