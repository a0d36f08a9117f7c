namespace PracticeMesh.Contracts.Events.V1;

/// <summary>A person registered as a volunteer (志愿者) and awaits review. Carries no personal data.</summary>
[PublishedForPartners("A registration awaiting review, for partner notification; services here learn of a volunteer when approved (VolunteerApproved).")]
public sealed record VolunteerRegistered(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    string DisplayName,
    Guid? PersonId = null) : IIntegrationEvent;

/// <summary>
/// A volunteer passed review (审核) and may sign up for activities. <see cref="PersonId"/> is the sign-in account
/// (identity's person id) that registered itself, when it did: identity then links that login to this volunteer.
/// <see cref="HomeStationCode"/> and <see cref="Categories"/> (the volunteers service's category names: Cadre,
/// PartyApplicant, PromotionCandidate, LeagueApplicant…) say whose per-head yearly hours the volunteer counts in; both
/// are fixed at registration. Null from publishers older than them.
/// </summary>
public sealed record VolunteerApproved(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    string DisplayName,
    Guid? PersonId = null,
    string? HomeStationCode = null,
    IReadOnlyList<string>? Categories = null) : IIntegrationEvent;

/// <summary>Service hours were written to a volunteer's ledger: for an activity, a care visit (<see cref="CareVisitId"/>), by hand or as a correction.</summary>
public sealed record HoursCredited(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    Guid LedgerEntryId,
    Guid? ActivityId,
    decimal Hours,
    decimal TotalHours,
    Guid? CareVisitId = null) : IIntegrationEvent;

/// <summary>A volunteer was suspended and may not sign up or be credited until reinstated.</summary>
public sealed record VolunteerSuspended(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    string Reason) : IIntegrationEvent;

/// <summary>A suspended volunteer is back in good standing (approved again).</summary>
public sealed record VolunteerReinstated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId) : IIntegrationEvent;

/// <summary>The tier of a volunteer service team (志愿服务队).</summary>
public enum TeamTier
{
    /// <summary>支队, a township's detachment, led by the township head.</summary>
    Township,
    /// <summary>大队, a village's brigade, led by the village head.</summary>
    Village,
    /// <summary>A named team (服务队) under a township or village.</summary>
    Team,
    /// <summary>分队, a sub-team of a team.</summary>
    SubTeam,
}

/// <summary>What a team does (seed: 党员先锋, 卫生治理, 产业互助, 村风文明, 应急抢险, 政策宣讲, 普法宣传, 公益服务).</summary>
public enum TeamType
{
    General,
    /// <summary>党员先锋</summary>
    PartyVanguard,
    /// <summary>卫生治理</summary>
    Sanitation,
    /// <summary>产业互助</summary>
    IndustryMutualAid,
    /// <summary>村风文明</summary>
    VillageCivility,
    /// <summary>应急抢险</summary>
    EmergencyRescue,
    /// <summary>政策宣讲</summary>
    PolicyLectures,
    /// <summary>普法宣传</summary>
    LegalAwareness,
    /// <summary>公益服务</summary>
    PublicWelfare,
    Other,
}

/// <summary>A volunteer service team was set up. <see cref="DivisionCode"/> is its home station's division.</summary>
public sealed record TeamCreated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid TeamId,
    string Name,
    TeamTier Tier,
    TeamType Type,
    Guid? ParentTeamId,
    string HomeStationCode,
    Guid? LeaderVolunteerId) : IIntegrationEvent;

/// <summary>A volunteer joined a team; <see cref="DivisionCode"/> is the team's division.</summary>
public sealed record TeamMemberJoined(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid TeamId,
    Guid VolunteerId) : IIntegrationEvent;

/// <summary>A volunteer left a team (or was removed, or suspended); <see cref="DivisionCode"/> is the team's division.</summary>
public sealed record TeamMemberLeft(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid TeamId,
    Guid VolunteerId) : IIntegrationEvent;

/// <summary>A volunteer's cumulative hours crossed a star threshold (星级志愿者, one to five stars).</summary>
[PublishedForPartners("Star levels (星级志愿者) for commendation and the volunteer's app; the volunteers service keeps them.")]
public sealed record StarLevelReached(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    int StarLevel,
    decimal TotalHours) : IIntegrationEvent;

/// <summary>Who a care recipient (帮扶对象) is, as the village plans list them.</summary>
public enum CareRecipientCategory
{
    /// <summary>空巢老人</summary>
    EmptyNestElderly,
    /// <summary>孤寡老人</summary>
    LonelyElderly,
    /// <summary>困难家庭</summary>
    FamilyInHardship,
    /// <summary>残疾人</summary>
    Disabled,
    /// <summary>留守儿童</summary>
    LeftBehindChild,
    Other,
}

/// <summary>
/// A volunteer visited a care recipient they are paired with (一对一结对帮扶, 走访) and the hours were credited
/// (<see cref="LedgerEntryId"/>). <see cref="DivisionCode"/> is the recipient's station. Carries no personal data.
/// </summary>
public sealed record CareVisitRecorded(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VisitId,
    Guid VolunteerId,
    Guid RecipientId,
    CareRecipientCategory Category,
    DateOnly VisitedOn,
    decimal Hours,
    Guid LedgerEntryId) : IIntegrationEvent;
