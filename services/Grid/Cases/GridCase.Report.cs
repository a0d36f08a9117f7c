using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Cases;

/// <summary>Who reported a case, as the intake saw them.</summary>
public sealed record CaseReporter(CaseSource Source, string? Subject, string? Name, string? Role, string? PartnerClientId);

public sealed partial class GridCase
{
    public const int MaxDescription = 2000;
    public const int MaxMedia = 9;

    /// <summary>
    /// A new case in <paramref name="village"/>, in <paramref name="gridCode"/> when one owns it. Its acceptance clock
    /// starts now and runs out at <paramref name="acceptBy"/>.
    /// </summary>
    public static (GridCase Case, CaseReported Event) Report(
        string number, DivisionCode village, string? gridCode, bool outsideGrids, string categoryCode, string? description,
        string? address, double? latitude, double? longitude, IReadOnlyList<string>? media, CaseReporter reporter,
        DateTimeOffset now, DateTimeOffset acceptBy)
    {
        var errors = Validate(description, address, latitude, longitude, media);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var id = TownshipGuid.New(village, now);
        var reported = new GridCase
        {
            Id = id,
            Number = number,
            DivisionCode = village,
            GridCode = gridCode,
            OutsideGrids = outsideGrids,
            CategoryCode = categoryCode,
            Description = description!.Trim(),
            Address = string.IsNullOrWhiteSpace(address) ? null : address.Trim(),
            Latitude = latitude,
            Longitude = longitude,
            Media = media is null ? [] : [.. media.Select(m => m.Trim())],
            Source = reporter.Source,
            ReporterId = reporter.Subject,
            PartnerClientId = reporter.PartnerClientId,
            FollowToken = Guid.NewGuid(),
            Status = CaseStatus.Reported,
            ReportedAt = now,
            UpdatedAt = now,
            Stage = CaseStage.Acceptance,
            StageStartedAt = now,
            DueAt = acceptBy,
        };
        reported.AddStep(CaseAction.Reported, reporter.Subject, reporter.Name, reporter.Role, now,
            outsideGrids ? "Outside every grid: the village takes it." : null);
        return (reported, new CaseReported(Guid.CreateVersion7(now), now, village, id, number, gridCode, categoryCode, reporter.Source,
            outsideGrids, latitude, longitude));
    }

    /// <summary>Appends a step to the history and bumps the version (every change conflicts with every other).</summary>
    private CaseStep AddStep(CaseAction action, string? actorId, string? actorName, string? actorRole, DateTimeOffset at, string? remark)
    {
        var step = new CaseStep(Id, Steps.Count + 1, action, Status, actorId, actorName, actorRole, at,
            string.IsNullOrWhiteSpace(remark) ? null : remark.Trim());
        Steps.Add(step);
        UpdatedAt = at;
        Version++;
        return step;
    }

    private static Dictionary<string, string[]> Validate(string? description, string? address, double? latitude, double? longitude, IReadOnlyList<string>? media)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(description) || description.Trim().Length > MaxDescription)
        {
            errors["description"] = [$"A description of 1 to {MaxDescription} characters is required."];
        }
        if (address is { Length: > 200 })
        {
            errors["address"] = ["An address is at most 200 characters."];
        }
        if (latitude is null != longitude is null)
        {
            errors[latitude is null ? "latitude" : "longitude"] = ["A location needs both latitude and longitude."];
        }
        if (latitude is { } lat && (double.IsNaN(lat) || lat is < -90 or > 90))
        {
            errors["latitude"] = ["Latitude is -90 to 90 (WGS 84)."];
        }
        if (longitude is { } lon && (double.IsNaN(lon) || lon is < -180 or > 180))
        {
            errors["longitude"] = ["Longitude is -180 to 180 (WGS 84)."];
        }
        if (media is { Count: > MaxMedia })
        {
            errors["media"] = [$"At most {MaxMedia} media references."];
        }
        else if (media is not null && media.Any(m => string.IsNullOrWhiteSpace(m) || m.Length > 500
            || !Uri.TryCreate(m.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors["media"] = ["Media are http(s) URLs of at most 500 characters."];
        }
        return errors;
    }
}
