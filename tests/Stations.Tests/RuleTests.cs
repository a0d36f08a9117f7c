using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Tests;

/// <summary>Staffing, six-haves and closing rules, without a web host.</summary>
public class RuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);

    private static Station County() => Station.Register("321324", "Centre", StationKind.CountyCentre, null, Now);
    private static Station Institute() => Station.Register("321324104", "Institute", StationKind.Institute, County(), Now);
    private static Station Village() => Station.Register("321324104201", "Village", StationKind.Village, Institute(), Now);

    [Theory]
    [InlineData(StationKind.Institute, 1, false)]
    [InlineData(StationKind.Institute, 2, true)]
    [InlineData(StationKind.Institute, 3, true)]
    [InlineData(StationKind.Village, 0, false)]
    [InlineData(StationKind.Village, 1, true)]
    [InlineData(StationKind.Village, 2, true)]
    public void The_staffing_rule_counts_full_and_part_time_staff_but_not_leaders(StationKind kind, int staff, bool met)
    {
        var site = kind == StationKind.Institute ? Institute() : Village();
        var members = new List<StaffMember> { StaffingRule.Add(site, [], "Head", StaffRole.Head, null, Now) };
        for (var i = 0; i < staff; i++)
        {
            members.Add(StaffingRule.Add(site, members, $"Staff {i}", i % 2 == 0 ? StaffRole.FullTime : StaffRole.PartTime, null, Now));
        }

        var status = StaffingRule.Evaluate(site, members);

        Assert.Equal(staff, status.StaffCount);
        Assert.Equal(met, status.Met);
    }

    [Fact]
    public void A_site_takes_no_more_staff_than_the_rule_allows()
    {
        var village = Village();
        var members = new List<StaffMember>();
        members.Add(StaffingRule.Add(village, members, "A", StaffRole.FullTime, null, Now));
        members.Add(StaffingRule.Add(village, members, "B", StaffRole.PartTime, null, Now));

        Assert.Throws<ConflictException>(() => StaffingRule.Add(village, members, "C", StaffRole.PartTime, null, Now));
        Assert.Null(StaffingRule.RangeFor(StationKind.CountyCentre));
        Assert.True(StaffingRule.Evaluate(County(), []).Met);
    }

    [Fact]
    public void Only_a_division_above_the_station_verifies_and_new_evidence_clears_the_verdict()
    {
        var village = Village();
        var record = SixHavesRecord.Start(village, SixHavesItem.Rules, Now);
        record.SubmitEvidence("制度上墙", ["files/rules.pdf"], Now);

        Assert.Throws<ForbiddenException>(() => record.Verify(SixHavesVerdict.Passed, null, "321324104201", "s", "n", Now));
        Assert.Throws<ForbiddenException>(() => record.Verify(SixHavesVerdict.Passed, null, "321324105", "s", "n", Now));
        record.Verify(SixHavesVerdict.Passed, null, "321324104", "s", "n", Now);
        Assert.Equal(SixHavesVerdict.Passed, record.Verdict);

        record.SubmitEvidence("制度修订", [], Now);
        Assert.Null(record.Verdict);
        Assert.Null(record.VerifiedAt);
    }

    [Fact]
    public void Compliance_needs_all_six_items_passed()
    {
        var village = Village();
        var records = Enum.GetValues<SixHavesItem>().Select(item =>
        {
            var r = SixHavesRecord.Start(village, item, Now);
            r.SubmitEvidence("evidence", null, Now);
            r.Verify(item == SixHavesItem.Specialty ? SixHavesVerdict.Failed : SixHavesVerdict.Passed, "remark", "321324", null, null, Now);
            return r;
        }).ToList();

        var compliance = SixHavesCompliance.Of(records);

        Assert.Equal(5, compliance.PassedItems);
        Assert.Equal(6, compliance.EvidencedItems);
        Assert.False(compliance.Compliant);
    }

    [Fact]
    public void A_closed_site_keeps_its_reason_and_takes_no_changes()
    {
        var village = Village();
        Assert.Throws<ConflictException>(() => village.Close("撤并", activeChildren: 1, Now));

        village.Close(" 撤并 ", activeChildren: 0, Now);

        Assert.Equal(StationStatus.Closed, village.Status);
        Assert.Equal("撤并", village.ClosedReason);
        Assert.Throws<ConflictException>(() => village.Update("x", null, null, null, Now));
        Assert.Throws<ConflictException>(() => StaffingRule.Add(village, [], "x", StaffRole.Head, null, Now));
    }
}
