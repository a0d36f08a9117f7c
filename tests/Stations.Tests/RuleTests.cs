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
    private static readonly StaffingRule Staffing = new(new StaffingOptions());
    private static readonly SixHavesChecklist SixItems = SixHavesChecklist.From(new SixHavesOptions());

    [Theory]
    [InlineData(StationKind.Institute, 1, false, false)]
    [InlineData(StationKind.Institute, 2, true, false)]
    [InlineData(StationKind.Institute, 3, true, false)]
    [InlineData(StationKind.Institute, 5, true, true)]
    [InlineData(StationKind.Village, 0, false, false)]
    [InlineData(StationKind.Village, 1, true, false)]
    [InlineData(StationKind.Village, 2, true, false)]
    [InlineData(StationKind.Village, 3, true, true)]
    public void The_staffing_minimum_counts_full_and_part_time_staff_but_not_leaders(StationKind kind, int staff, bool met, bool aboveUsual)
    {
        var site = kind == StationKind.Institute ? Institute() : Village();
        var members = new List<StaffMember> { StaffingRule.Add(site, [], "Head", StaffRole.Head, null, Now) };
        for (var i = 0; i < staff; i++)
        {
            members.Add(StaffingRule.Add(site, members, $"Staff {i}", i % 2 == 0 ? StaffRole.FullTime : StaffRole.PartTime, null, Now));
        }

        var status = Staffing.Evaluate(site, members);

        Assert.Equal(staff, status.StaffCount);
        Assert.Equal(met, status.Met);
        Assert.Equal(aboveUsual, status.AboveUsualRange);
    }

    [Fact]
    public void A_site_takes_every_staff_member_and_the_county_centre_has_no_minimum()
    {
        var village = Village();
        var members = new List<StaffMember>();
        for (var i = 0; i < 6; i++)
        {
            members.Add(StaffingRule.Add(village, members, $"S{i}", StaffRole.PartTime, null, Now));
        }

        Assert.Equal(6, Staffing.Evaluate(village, members).StaffCount);
        Assert.Null(Staffing.RangeFor(StationKind.CountyCentre));
        Assert.True(Staffing.Evaluate(County(), []).Met);
        Assert.False(Staffing.Evaluate(County(), []).AboveUsualRange);
    }

    [Fact]
    public void The_minimum_and_usual_range_come_from_the_county_configuration()
    {
        var rule = new StaffingRule(new StaffingOptions { Station = new StaffingRange { Minimum = 3, UsualMaximum = 4 } });
        var village = Village();
        var two = new List<StaffMember>();
        two.Add(StaffingRule.Add(village, two, "A", StaffRole.FullTime, null, Now));
        two.Add(StaffingRule.Add(village, two, "B", StaffRole.FullTime, null, Now));

        var status = rule.Evaluate(village, two);

        Assert.False(status.Met);
        Assert.Equal(3, status.RequiredMin);
        Assert.Equal(4, status.RequiredMax);
        Assert.True(rule.Evaluate(Institute(), two).Met);
    }

    [Fact]
    public void Only_a_division_above_the_station_verifies_and_new_evidence_clears_the_verdict()
    {
        var village = Village();
        var record = SixHavesRecord.Start(village, SixItems.Find("Rules"), Now);
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
        var records = SixItems.Items.Select(item =>
        {
            var r = SixHavesRecord.Start(village, item, Now);
            r.SubmitEvidence("evidence", null, Now);
            r.Verify(item.Key == "Specialty" ? SixHavesVerdict.Failed : SixHavesVerdict.Passed, "remark", "321324", null, null, Now);
            return r;
        }).ToList();

        var compliance = SixItems.Evaluate(records);

        Assert.Equal(5, compliance.PassedItems);
        Assert.Equal(6, compliance.EvidencedItems);
        Assert.Equal(6, compliance.RequiredItems);
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
