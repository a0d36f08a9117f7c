using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Identity.Domain;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Data;

/// <summary>The demo accounts (one person per role, one partner), documented in the README.</summary>
public static class DemoAccounts
{
    /// <summary>Every demo person's password. Demo only: never set Identity:SeedDemo where real people sign in.</summary>
    public const string Password = "PracticeMesh-demo-1";
    /// <summary>The demo county admin (321324), the account the standalone host loads its demo county with.</summary>
    public const string CountyAdmin = "county.admin";
    /// <summary>The demo volunteer login, which is the demo volunteer <see cref="VolunteerName"/> once she is approved.</summary>
    public const string Volunteer = "volunteer";
    /// <summary>The demo volunteer record (王集村, 321324104202) the <see cref="Volunteer"/> login is linked to.</summary>
    public const string VolunteerName = "王芳";
    public const string VolunteerDivision = "321324104202";
    public const string PartnerClientId = "demo-partner";
    public const string PartnerSecret = "demo-partner-secret";

    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Role, string Division)> People =
    [
        (CountyAdmin, "泗洪县管理员", PracticeMeshRoles.CountyAdmin, "321324"),
        ("township.admin", "青阳镇管理员", PracticeMeshRoles.TownshipAdmin, "321324104"),
        ("station.admin", "大楼社区站管理员", PracticeMeshRoles.StationAdmin, "321324104201"),
        ("team.leader", "王集村志愿队队长", PracticeMeshRoles.TeamLeader, "321324104202"),
        (Volunteer, VolunteerName, PracticeMeshRoles.Volunteer, VolunteerDivision),
        ("grid.worker", "王集村网格员", PracticeMeshRoles.GridWorker, "321324104202"),
        ("resident", "王集村居民", PracticeMeshRoles.Resident, "321324104202"),
    ];

    public static readonly IReadOnlyList<string> PartnerScopes =
        [ApiScopes.ActivitiesRead, ApiScopes.GridReport, ApiScopes.AssessmentRead, ApiScopes.StationsRead];
}

/// <summary>
/// Seeds the demo accounts when <c>Identity:SeedDemo</c> is true, during start-up so they exist before the first
/// request. Idempotent: only missing accounts are added, and a replica that loses the race to another is fine.
/// Seeding begins as soon as the identity schema exists (beside the other services' schemas in the standalone
/// host) and start-up waits for it in this service's turn.
/// </summary>
internal sealed class DemoSeeder(IServiceScopeFactory scopes, DatabaseSchema<IdentityDbContext> schema, IdentityOptions options, TimeProvider time, ILogger<DemoSeeder> logger)
    : EarlyStartedService
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.SeedDemo)
        {
            await schema.Ready.WaitAsync(cancellationToken);
            await SeedAsync(cancellationToken);
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IdentityDbContext>();
        var hasher = services.GetRequiredService<IPasswordHasher<Person>>();
        var now = time.GetUtcNow();

        var existing = await db.People.Select(p => p.UserName).ToListAsync(cancellationToken);
        // Every demo person has the one demo password: one hash (a tenth of a second of PBKDF2) serves them all.
        string? hash = null;
        foreach (var (userName, displayName, role, division) in DemoAccounts.People.Where(p => !existing.Contains(p.UserName)))
        {
            var person = Person.Create(userName, displayName, DemoAccounts.Password, role, division,
                (created, password) => hash ??= hasher.HashPassword(created, password), now);
            db.People.Add(person);
            // As for anyone an admin creates: the grid service learns of the demo grid worker and cadres this way.
            db.AddEvent(person.ToChangedEvent(now), now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            logger.LogInformation("Demo people were seeded by another replica");
        }

        if (!await db.PartnerClients.AnyAsync(c => c.ClientId == DemoAccounts.PartnerClientId, cancellationToken))
        {
            var partner = PartnerClient.Register(DemoAccounts.PartnerClientId, "演示合作方 (demo partner)", DemoAccounts.PartnerScopes, "321324", 120, now);
            try
            {
                await services.GetRequiredService<PartnerRegistry>().RegisterAsync(partner, now, expiresAt: null, DemoAccounts.PartnerSecret, cancellationToken);
            }
            catch (ConflictException)
            {
                logger.LogInformation("The demo partner was seeded by another replica");
            }
        }
        logger.LogInformation("Demo accounts are in place (password {Password}; partner {ClientId})", DemoAccounts.Password, DemoAccounts.PartnerClientId);
    }
}

/// <summary>
/// Links the demo volunteer login to the demo volunteer record (<see cref="DemoAccounts.VolunteerName"/> of
/// <see cref="DemoAccounts.VolunteerDivision"/>) as soon as identity has heard of her approval, whoever loads her (the
/// standalone host's demo county, or a person by hand): the volunteer's tokens then carry <c>volunteer_id</c>. Only with
/// <c>Identity:SeedDemo</c>; it looks every second until the link is made, then stops.
/// </summary>
internal sealed class DemoVolunteerLink(IServiceScopeFactory scopes, DatabaseSchema<IdentityDbContext> schema, IdentityOptions options, TimeProvider time,
    ILogger<DemoVolunteerLink> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SeedDemo)
        {
            return;
        }
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryLinkAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (DbUpdateException ex)
            {
                // Another replica linked at the same moment, or the database was busy: look again.
                logger.LogDebug(ex, "Linking the demo volunteer failed; trying again");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>True when the login is linked (now or before), or cannot be (no demo volunteer login).</summary>
    private async Task<bool> TryLinkAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var person = await db.People.SingleOrDefaultAsync(p => p.UserName == DemoAccounts.Volunteer, cancellationToken);
        if (person is null || person.VolunteerId is not null)
        {
            return true;
        }
        var named = await db.Volunteers.Where(v => v.DivisionCode == DemoAccounts.VolunteerDivision && v.DisplayName == DemoAccounts.VolunteerName)
            .ToListAsync(cancellationToken);
        var volunteer = named.Where(v => v.IsApproved).OrderBy(v => v.ApprovedAt).FirstOrDefault();
        if (volunteer is null || await db.People.AnyAsync(p => p.VolunteerId == volunteer.Id, cancellationToken))
        {
            return false;
        }
        person.LinkVolunteer(volunteer.Id);
        AccessRevocation.Revoke(db, person, RevocationReasons.VolunteerLinked, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("The demo volunteer login is volunteer {VolunteerId} ({Name})", volunteer.Id, DemoAccounts.VolunteerName);
        return true;
    }
}
