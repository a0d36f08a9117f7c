namespace PracticeMesh.Volunteers.Domain;

/// <summary>政治面貌.</summary>
public enum PoliticalStatus
{
    /// <summary>中共党员 (including probationary members)</summary>
    PartyMember,
    /// <summary>共青团员</summary>
    LeagueMember,
    /// <summary>群众</summary>
    Masses,
    /// <summary>民主党派 and others</summary>
    Other,
}

/// <summary>Who a volunteer is, as far as yearly obligations and reports care; a volunteer may be several.</summary>
public enum VolunteerCategory
{
    /// <summary>党政干部</summary>
    Cadre,
    /// <summary>入党积极分子 / 发展对象</summary>
    PartyApplicant,
    /// <summary>拟提拔干部</summary>
    PromotionCandidate,
    /// <summary>入团积极分子</summary>
    LeagueApplicant,
    Teacher,
    Student,
    Retiree,
    /// <summary>返乡人员 (returned migrant workers, graduates)</summary>
    Returnee,
    /// <summary>新乡贤</summary>
    LocalNotable,
    Doctor,
    Other,
}
