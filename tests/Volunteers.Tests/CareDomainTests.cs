using System.Security.Cryptography;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Care;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The care rules as plain classes: pairings, visits and the monthly check, without a host.</summary>
public sealed class CareDomainTests
{
    private static readonly PersonalDataProtector Protector = new(RandomNumberGenerator.GetBytes(32));
    /// <summary>2026-03-04 09:00 in China.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);

    private static Volunteer ApprovedVolunteer(string station = "321324104201")
    {
        var volunteer = Volunteer.Register(new Registration("王芳", TestPeople.IdCard(), TestPeople.Mobile(), PoliticalStatus.Masses, [], [], station), Protector, Now);
        volunteer.Approve(Now);
        return volunteer;
    }

    private static CareRecipient Recipient(string station = "321324104201", string? idCard = null, string? mobile = null) =>
        CareRecipient.Register(station, new CareRecipientDetails("张桂英", CareRecipientCategory.EmptyNestElderly, "三组12号", idCard, mobile), Protector, Now);

    private static DateOnly Day(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_pairing_without_an_end_runs_as_long_as_the_county_allows_and_no_longer()
    {
        var volunteer = ApprovedVolunteer();
        var recipient = Recipient();

        var open = CarePairing.Pair(volunteer, recipient, Day("2026-03-01"), null, maxYears: 3, [], Now);
        Assert.Equal(Day("2029-02-28"), open.EndsOn);
        Assert.Equal(CarePairingStatus.Active, open.StatusOn(Day("2026-03-04")));
        Assert.Equal(CarePairingStatus.Lapsed, open.StatusOn(Day("2029-03-01")));

        var tooLong = Assert.Throws<DomainValidationException>(() => CarePairing.Pair(volunteer, Recipient(), Day("2026-03-01"), Day("2029-03-01"), 3, [], Now));
        Assert.Contains("endsOn", tooLong.Errors.Keys);
        var backwards = Assert.Throws<DomainValidationException>(() => CarePairing.Pair(volunteer, Recipient(), Day("2026-03-01"), Day("2026-02-28"), 3, [], Now));
        Assert.Contains("endsOn", backwards.Errors.Keys);
        Assert.Equal(Day("2027-02-28"), CarePairing.Pair(volunteer, Recipient(), Day("2026-03-01"), null, 1, [], Now).EndsOn);
    }

    [Fact]
    public void Only_people_of_the_volunteers_own_station_are_paired()
    {
        var volunteer = ApprovedVolunteer("321324104201");

        var other = Assert.Throws<DomainValidationException>(() => CarePairing.Pair(volunteer, Recipient("321324104202"), Day("2026-03-01"), null, 3, [], Now));
        Assert.Contains("recipientId", other.Errors.Keys);
        // An institute's volunteer serves the villages under it.
        Assert.NotNull(CarePairing.Pair(ApprovedVolunteer("321324104"), Recipient("321324104202"), Day("2026-03-01"), null, 3, [], Now));
    }

    [Fact]
    public void The_same_two_are_paired_once_at_a_time_and_a_lapsed_pairing_makes_room()
    {
        var volunteer = ApprovedVolunteer();
        var recipient = Recipient();
        var first = CarePairing.Pair(volunteer, recipient, Day("2026-01-01"), Day("2026-02-28"), 3, [], Now);

        Assert.Throws<ConflictException>(() => CarePairing.Pair(volunteer, recipient, Day("2026-02-01"), null, 3, [first], Now));
        var second = CarePairing.Pair(volunteer, recipient, Day("2026-03-01"), null, 3, [first], Now);

        Assert.NotNull(first.EndedAt);
        Assert.Null(second.EndedAt);
        Assert.Equal(Day("2026-02-28"), first.EndsOn);
        // A pairing still to come blocks another, even one that would not overlap it, until it is ended.
        var third = CarePairing.Pair(volunteer, recipient, Day("2030-01-01"), null, 3, [first, second], Now);
        Assert.NotNull(second.EndedAt);
        Assert.Throws<ConflictException>(() => CarePairing.Pair(volunteer, recipient, Day("2029-06-01"), Day("2029-12-31"), 3, [first, second, third], Now));
    }

    [Fact]
    public void A_pending_volunteer_or_a_retired_person_is_not_paired()
    {
        var pending = Volunteer.Register(new Registration("李明", TestPeople.IdCard(), TestPeople.Mobile(), PoliticalStatus.Masses, [], [], "321324104201"), Protector, Now);
        Assert.Throws<ConflictException>(() => CarePairing.Pair(pending, Recipient(), Day("2026-03-01"), null, 3, [], Now));

        var retired = Recipient();
        retired.Retire("迁居县城", Now);
        Assert.Throws<ConflictException>(() => CarePairing.Pair(ApprovedVolunteer(), retired, Day("2026-03-01"), null, 3, [], Now));
    }

    [Fact]
    public void Ending_a_pairing_keeps_the_visits_already_made_inside_it()
    {
        var pairing = CarePairing.Pair(ApprovedVolunteer(), Recipient(), Day("2026-02-01"), null, 3, [], Now);

        var early = Assert.Throws<DomainValidationException>(() => pairing.End(Day("2026-02-10"), "外出务工", latestVisit: Day("2026-02-20"), Now));
        Assert.Contains("endsOn", early.Errors.Keys);
        Assert.Throws<DomainValidationException>(() => pairing.End(null, " ", null, Now));

        pairing.End(null, "外出务工", Day("2026-02-20"), Now);
        Assert.Equal(Day("2026-03-04"), pairing.EndsOn);
        Assert.False(pairing.Covers(Day("2026-03-05")));
        Assert.Equal(CarePairingStatus.Ended, pairing.StatusOn(Day("2026-03-05")));
        Assert.Throws<ConflictException>(() => pairing.End(null, "again", null, Now));

        var notBegun = CarePairing.Pair(ApprovedVolunteer(), Recipient(), Day("2026-04-01"), null, 3, [], Now);
        notBegun.End(null, "计划取消", null, Now);
        Assert.False(notBegun.Covers(Day("2026-04-01")));
    }

    [Fact]
    public void A_visit_is_to_a_paired_person_of_ones_station_on_a_day_the_pairing_holds()
    {
        var volunteer = ApprovedVolunteer();
        var recipient = Recipient();
        var pairing = CarePairing.Pair(volunteer, recipient, Day("2026-03-01"), Day("2026-03-31"), 3, [], Now);

        Assert.Same(pairing, CareVisit.PairingFor(volunteer, recipient, Day("2026-03-02"), [pairing]));
        Assert.Contains("recipientId", Assert.Throws<DomainValidationException>(() => CareVisit.PairingFor(volunteer, recipient, Day("2026-02-28"), [pairing])).Errors.Keys);
        Assert.Contains("recipientId", Assert.Throws<DomainValidationException>(() => CareVisit.PairingFor(volunteer, Recipient("321324104202"), Day("2026-03-02"), [pairing])).Errors.Keys);
    }

    [Theory]
    [InlineData("2026-04-01", "打扫卫生", 1.5, null)]
    [InlineData("2026-04-02", "打扫卫生", 1.5, "visitedOn")]
    [InlineData(null, "打扫卫生", 1.5, "visitedOn")]
    [InlineData("2026-03-31", " ", 1.5, "summary")]
    [InlineData("2026-03-31", "打扫卫生", 0, "hours")]
    [InlineData("2026-03-31", "打扫卫生", 24.01, "hours")]
    public void A_visits_day_is_a_China_day_not_in_the_future_and_its_hours_lie_within_a_day(string? day, string summary, double hours, string? refused)
    {
        // 00:30 on 1 April in China, still 31 March in UTC.
        var now = new DateTimeOffset(2026, 3, 31, 16, 30, 0, TimeSpan.Zero);
        var visitedOn = day is null ? (DateOnly?)null : Day(day);

        if (refused is null)
        {
            Assert.Equal(150, CareVisit.Validate(visitedOn, summary, (decimal)hours, now));
        }
        else
        {
            Assert.Contains(refused, Assert.Throws<DomainValidationException>(() => CareVisit.Validate(visitedOn, summary, (decimal)hours, now)).Errors.Keys);
        }
    }

    [Fact]
    public void A_visits_credit_is_one_CareVisit_entry_on_its_China_day_and_no_day_holds_more_than_24_hours()
    {
        var volunteer = ApprovedVolunteer();
        var recipient = Recipient();
        var pairing = CarePairing.Pair(volunteer, recipient, Day("2026-03-01"), null, 3, [], Now);

        var (visit, entry) = CareVisit.Record(volunteer, recipient, pairing, Day("2026-03-02"), " 代购药品 ", 150, 0, "subject", Now);

        Assert.Equal(LedgerEntryKind.CareVisit, entry.Kind);
        Assert.Equal(visit.Id, entry.CareVisitId);
        Assert.Equal(entry.Id, visit.LedgerEntryId);
        Assert.Equal(1.5m, entry.Hours);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, ChinaTime.Offset), entry.ServedOn);
        Assert.Equal("代购药品", visit.Summary);
        Assert.Contains("hours", Assert.Throws<DomainValidationException>(() =>
            CareVisit.Record(volunteer, recipient, pairing, Day("2026-03-03"), "代购药品", 200, 2300, "subject", Now)).Errors.Keys);
        volunteer.Suspend("长期未参加活动", Now);
        Assert.Throws<ConflictException>(() => CareVisit.Record(volunteer, recipient, pairing, Day("2026-03-03"), "代购药品", 100, 0, "subject", Now));
    }

    [Fact]
    public void The_monthly_check_counts_distinct_households_in_the_month_for_everyone_paired_during_it()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid(), d = Guid.NewGuid();
        Guid r1 = Guid.NewGuid(), r2 = Guid.NewGuid(), r3 = Guid.NewGuid();
        MonthlyVisitCheck.PairingSpan[] pairings =
        [
            new(a, r1, Day("2026-01-01"), Day("2028-12-31")), new(a, r2, Day("2026-01-01"), Day("2028-12-31")),
            new(b, r1, Day("2026-01-01"), Day("2028-12-31")), new(b, r3, Day("2026-03-31"), Day("2028-12-31")),
            // Paired only from the last day of the month: still asked for the month.
            new(c, r2, Day("2026-03-31"), Day("2026-12-31")),
            // Ended in February, and one ended before it began: not in March.
            new(d, r1, Day("2026-01-01"), Day("2026-02-28")), new(d, r2, Day("2026-03-10"), Day("2026-03-09")),
        ];
        MonthlyVisitCheck.VisitDay[] visits =
        [
            new(a, r1, Day("2026-03-01")), new(a, r2, Day("2026-03-31")),
            // Twice to one household is one household.
            new(b, r1, Day("2026-03-05")), new(b, r1, Day("2026-03-20")),
            // Outside March.
            new(b, r3, Day("2026-04-01")), new(c, r2, Day("2026-02-28")),
        ];

        var march = MonthlyVisitCheck.Evaluate(Day("2026-03-15"), 2, pairings, visits).ToDictionary(m => m.VolunteerId);

        Assert.Equal(new[] { a, b, c }.Order(), march.Keys.Order());
        Assert.False(march[a].Behind);
        Assert.Equal((2, 1, 2, 1), (march[b].PairedHouseholds, march[b].HouseholdsVisited, march[b].Visits, march[b].Short));
        Assert.True(march[b].Behind);
        Assert.Equal((1, 0, 2), (march[c].PairedHouseholds, march[c].HouseholdsVisited, march[c].Short));
        Assert.DoesNotContain(d, march.Keys);
    }

    [Fact]
    public void A_persons_ID_number_and_phone_are_stored_protected_and_shown_masked_and_are_optional()
    {
        var idCard = TestPeople.IdCard(new DateOnly(1945, 3, 12));
        var mobile = TestPeople.Mobile();
        var recipient = Recipient(idCard: idCard, mobile: mobile);

        Assert.Equal(IdCardNumber.Mask(idCard), recipient.IdCardMasked);
        Assert.Equal(MobileNumber.Mask(mobile), recipient.MobileMasked);
        Assert.DoesNotContain(idCard, recipient.IdCardCipher);
        Assert.Equal(idCard, recipient.RevealIdCardNumber(Protector));
        Assert.Equal(mobile, recipient.RevealMobile(Protector));
        Assert.Equal(1945, recipient.BirthDate?.Year);

        recipient.Update(new CareRecipientDetails(null, null, "三组14号", null, ""), Protector, Now);
        Assert.Equal("三组14号", recipient.Address);
        Assert.Equal("张桂英", recipient.Name);
        Assert.Null(recipient.MobileMasked);
        Assert.Null(recipient.RevealMobile(Protector));
        Assert.Equal(idCard, recipient.RevealIdCardNumber(Protector));

        var withoutNumbers = Recipient();
        Assert.Null(withoutNumbers.IdCardMasked);
        Assert.Null(withoutNumbers.IdCardHash);
        var bad = Assert.Throws<DomainValidationException>(() => CareRecipient.Register("3213", new CareRecipientDetails(" ", (CareRecipientCategory)99, "", "32132419450312004", "123"), Protector, Now));
        Assert.Equal(["address", "category", "idCardNumber", "mobile", "name", "stationCode"], bad.Errors.Keys.Order());
    }
}
