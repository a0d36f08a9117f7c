using System.Text.RegularExpressions;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Domain;

/// <summary>
/// A person who signs in with a user name and password (admins, volunteers, grid workers, residents). Their role
/// gives the token's API scopes; their division (辖区) is the token's division scope.
/// </summary>
public sealed partial class Person
{
    public const int MinPasswordLength = 8;

    private Person() { }

    public Guid Id { get; private set; }
    /// <summary>Lower-case, unique: people type it, so case must not make two accounts.</summary>
    public string UserName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public string Role { get; private set; } = "";
    /// <summary>A 6, 9 or 12-digit division code: the prefix the person's tokens reach.</summary>
    public string DivisionCode { get; private set; } = "";
    public bool Active { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The volunteer record (志愿者) this person is, once linked: the <c>volunteer_id</c> of their tokens.</summary>
    public Guid? VolunteerId { get; private set; }

    /// <summary>
    /// Roles of people who live somewhere rather than administer a place: their division is their village or community
    /// (a 12-digit code), where they order services, sign up and report.
    /// </summary>
    public static IReadOnlySet<string> ResidentRoles { get; } =
        new HashSet<string> { PracticeMeshRoles.Resident, PracticeMeshRoles.Volunteer, PracticeMeshRoles.GridWorker };

    /// <summary>Roles a person can hold: every role but partner, which is for client credentials only.</summary>
    public static IReadOnlyList<string> PersonRoles { get; } = [.. PracticeMeshRoles.All.Where(r => r != PracticeMeshRoles.Partner)];

    /// <summary>Checks the fields and returns the normalised values; the caller hashes the password.</summary>
    public static Person Create(string? userName, string? displayName, string? password, string? role, string? division,
        Func<Person, string, string> hashPassword, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = NormaliseUserName(userName);
        if (name is null)
        {
            errors["userName"] = ["A user name of 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'."];
        }
        var display = displayName?.Trim() ?? "";
        if (display.Length is 0 or > 50)
        {
            errors["displayName"] = ["A display name of 1 to 50 characters is required."];
        }
        if (password is null || password.Length < MinPasswordLength || password.Length > 128)
        {
            errors["password"] = [$"A password of {MinPasswordLength} to 128 characters is required."];
        }
        CheckRoleAndDivision(role, division, errors, out var code);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var person = new Person
        {
            Id = Guid.CreateVersion7(now),
            UserName = name!,
            DisplayName = display,
            Role = role!,
            DivisionCode = code.Value,
            Active = true,
            CreatedAt = now,
        };
        person.PasswordHash = hashPassword(person, password!);
        return person;
    }

    public DivisionCode Division => Contracts.DivisionCode.Parse(DivisionCode);

    /// <summary>
    /// Changes what the admin sent (null keeps a field). Returns true when the person's access changed (role or
    /// division): tokens issued before then no longer say what holds.
    /// </summary>
    public bool Change(string? displayName, string? role, string? division)
    {
        var errors = new Dictionary<string, string[]>();
        var display = displayName?.Trim();
        if (display is { Length: 0 or > 50 })
        {
            errors["displayName"] = ["A display name of 1 to 50 characters."];
        }
        CheckRoleAndDivision(role ?? Role, division ?? DivisionCode, errors, out var code);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var accessChanged = (role is not null && role != Role) || code.Value != DivisionCode;
        DisplayName = display ?? DisplayName;
        Role = role ?? Role;
        DivisionCode = code.Value;
        return accessChanged;
    }

    /// <summary>Links the login to a volunteer record; true when that changed anything.</summary>
    public bool LinkVolunteer(Guid volunteerId)
    {
        if (VolunteerId == volunteerId)
        {
            return false;
        }
        VolunteerId = volunteerId;
        return true;
    }

    /// <summary>Unlinks the login from its volunteer record; true when it had one.</summary>
    public bool UnlinkVolunteer()
    {
        if (VolunteerId is null)
        {
            return false;
        }
        VolunteerId = null;
        return true;
    }

    /// <summary>
    /// The person as they stand now, for the services that name people (a grid's workers and cadres). Published with
    /// every change of name, role, division or activity, so the latest by time is the truth.
    /// </summary>
    public PersonChanged ToChangedEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, Division, Id, DisplayName, Role, Active);

    public void Deactivate() => Active = false;

    public void Activate() => Active = true;

    private static void CheckRoleAndDivision(string? role, string? division, Dictionary<string, string[]> errors, out DivisionCode code)
    {
        if (role is null || !PersonRoles.Contains(role))
        {
            errors["role"] = [$"One of: {string.Join(", ", PersonRoles)}."];
        }
        if (!Contracts.DivisionCode.TryParse(division, out code, out var codeError))
        {
            errors["division"] = [codeError];
        }
        else if (role is not null && ResidentRoles.Contains(role) && code.Tier != DivisionTier.Village)
        {
            errors["division"] = [$"A {role} lives somewhere: their division is their village or community, a 12-digit code."];
        }
    }

    /// <summary>The lower-case form of a well-formed user name, or null.</summary>
    public static string? NormaliseUserName(string? userName)
    {
        var name = userName?.Trim().ToLowerInvariant();
        return name is not null && UserNamePattern().IsMatch(name) ? name : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex UserNamePattern();
}
