using System.Net;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>
/// AccessRevoked, heard by every module through the shared wiring: a subject's tokens issued before the not-before are
/// refused (401) within seconds, in the replica that took the event and, through the refresh from the database, in
/// every other replica; revocations in any order or twice keep the latest not-before.
/// </summary>
public class AccessRevocationTests
{
    /// <summary>Any authenticated endpoint of the notes service will do: a county admin reads the dead letters.</summary>
    private const string Protected = "/api/v1/notes/outbox/dead-letters";

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static AccessRevoked Revoked(string subject, DateTimeOffset notBefore) =>
        new(Guid.CreateVersion7(), notBefore, DivisionCode.Parse("321324104202"), subject, notBefore, "deactivated");

    private static HttpClient Client(NotesHost host, string subject, DateTimeOffset issuedAt) =>
        host.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", subject: subject, now: issuedAt));

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Protected);
        return response.StatusCode;
    }

    private static Task RefusedAsync(HttpClient client, string what) =>
        HttpAssertions.EventuallyAsync(async () => await StatusAsync(client) == HttpStatusCode.Unauthorized ? "refused" : null, what, TimeSpan.FromSeconds(20));

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_revoked_subjects_earlier_tokens_are_refused_and_later_ones_and_other_subjects_accepted(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        var subject = Guid.NewGuid().ToString();
        var now = Now();
        using var earlier = Client(host, subject, now.AddMinutes(-5));
        using var other = Client(host, Guid.NewGuid().ToString(), now.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(earlier));

        await host.Harness.Bus.Publish(Revoked(subject, now));

        await RefusedAsync(earlier, "the token issued before the revocation to be refused");
        // A remembered token is checked too (the handler skips only the signature check), and stays refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(earlier));
        using var later = Client(host, subject, now.AddSeconds(2));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(later));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(other));
        // The process refuses at once; the row is committed when the consumer's save is, a moment later.
        var row = await HttpAssertions.EventuallyAsync(
            () => host.WithDbAsync(db => db.RevokedSubjects.AsNoTracking().SingleOrDefaultAsync(r => r.Subject == subject)), "the revoked subject's row");
        Assert.Equal(now, row.NotBefore);
    }

    /// <summary>Three revocations of one subject in every order, one of them twice: the latest not-before holds.</summary>
    [Fact]
    public async Task Revocations_in_any_order_and_twice_keep_the_latest_not_before()
    {
        await using var storage = new NotesStore(Store.Sqlite);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        var revocations = host.Host.Services.GetRequiredService<AccessRevocations>();
        var start = Now().AddMinutes(-30);

        foreach (var order in EventOrders.Permutations([0, 1, 2]))
        {
            var subject = Guid.NewGuid().ToString();
            AccessRevoked[] history = [Revoked(subject, start), Revoked(subject, start.AddMinutes(5)), Revoked(subject, start.AddMinutes(10))];
            AccessRevoked[] deliveries = [.. order.Select(i => history[i]), history[order[0]]];
            foreach (var message in deliveries)
            {
                await host.Harness.Bus.Publish(message);
            }
            foreach (var message in history)
            {
                var count = deliveries.Count(d => d.EventId == message.EventId);
                await HttpAssertions.EventuallyAsync(() => Task.FromResult<object?>(
                    host.Harness.Consumed.Select<AccessRevoked>(x => x.Exception is null && x.Context.Message.EventId == message.EventId).Count() >= count ? true : null),
                    $"{message.EventId} to be consumed {count} times");
            }

            var row = await host.WithDbAsync(db => db.RevokedSubjects.AsNoTracking().SingleAsync(r => r.Subject == subject));
            Assert.Equal(start.AddMinutes(10), row.NotBefore);
            Assert.Equal(start.AddMinutes(10), revocations.NotBefore(subject));
            // A token issued between the first and the last revocation is refused; one after the last is not.
            using var between = Client(host, subject, start.AddMinutes(7));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(between));
        }
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_revocation_another_replica_wrote_is_refused_here_within_the_refresh(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage, settings: new Dictionary<string, string?> { ["Auth:RevocationRefresh"] = "00:00:00.500" });
        await host.StartAsync();
        var subject = Guid.NewGuid().ToString();
        var now = Now();
        using var earlier = Client(host, subject, now.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(earlier));

        // Written as the replica that took the event from the shared queue would: this process never hears it.
        await using (var db = storage.OpenContext())
        {
            db.RevokedSubjects.Add(new RevokedSubject(subject, now));
            await db.SaveChangesAsync();
        }

        await RefusedAsync(earlier, "the row written elsewhere to reach this replica");
    }

    /// <summary>
    /// The distributed mode: two replicas of one service on PostgreSQL share the service's queue on RabbitMQ, so only one
    /// of them takes the event; both refuse the token within seconds.
    /// </summary>
    [Fact]
    public async Task Both_replicas_refuse_the_token_though_one_took_the_event()
    {
        await using var storage = new NotesStore(Store.Postgres);
        var settings = new Dictionary<string, string?> { ["Auth:RevocationRefresh"] = "00:00:00.500" };
        await using var first = new NotesHost(storage, rabbitMq: true, testHarness: false, settings: settings);
        await using var second = new NotesHost(storage, rabbitMq: true, testHarness: false, settings: settings);
        await first.StartAsync();
        await second.StartAsync();
        var subject = Guid.NewGuid().ToString();
        var now = Now();
        using var atFirst = Client(first, subject, now.AddMinutes(-5));
        using var atSecond = Client(second, subject, now.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(atFirst));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(atSecond));

        await first.Host.Services.GetRequiredService<IBus>().Publish(Revoked(subject, now));

        await RefusedAsync(atFirst, "the first replica to refuse the token");
        await RefusedAsync(atSecond, "the second replica to refuse the token");
        Assert.Equal(1, await first.WithDbAsync(db => db.RevokedSubjects.CountAsync(r => r.Subject == subject)));
    }
}
