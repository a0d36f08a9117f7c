using PracticeMesh.Activities.Attendance;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Orders;
using PracticeMesh.Activities.Ratings;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Tests;

/// <summary>An activity's lifecycle, without a web host. It runs 10:00-12:00 China time on 2026-03-05.</summary>
public class ActivityTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = new(2026, 3, 5, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(2);

    private static readonly KnownStation Station = new() { Code = "321324104201", DivisionCode = DivisionCode.Parse("321324104201"), Name = "大楼社区实践站" };
    private static readonly KnownVolunteer Wang = Volunteer("王芳");
    private static readonly KnownVolunteer Li = Volunteer("李强");

    private static KnownVolunteer Volunteer(string name) =>
        new() { Id = Guid.NewGuid(), DivisionCode = DivisionCode.Parse("321324104201"), DisplayName = name };

    private static Activity Draft(int capacity = 10) =>
        Activity.Create(Station, "垃圾分类宣讲", ActivityCategory.Policy, Start, End, capacity, null, Created);

    private static Activity Published(int capacity = 10)
    {
        var activity = Draft(capacity);
        activity.Publish(Created);
        return activity;
    }

    [Fact]
    public void A_new_activity_is_a_draft_at_its_station()
    {
        var activity = Draft();

        Assert.Equal(ActivityStatus.Draft, activity.Status);
        Assert.Equal("321324104201", activity.StationCode);
        Assert.Equal("321324104201", activity.DivisionCode.Value);
        Assert.Empty(activity.SignUps);
    }

    [Theory]
    [InlineData("", 0, 2, 10, "title")]
    [InlineData("Talk", 0, 0, 10, "endsAt")]
    [InlineData("Talk", 0, -1, 10, "endsAt")]
    [InlineData("Talk", 0, 25, 10, "endsAt")]
    [InlineData("Talk", 0, 2, 0, "capacity")]
    [InlineData("Talk", 0, 2, 10_001, "capacity")]
    [InlineData("Talk", 99, 2, 10, "category")]
    public void A_bad_activity_names_the_field(string title, int category, int hours, int capacity, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() =>
            Activity.Create(Station, title, (ActivityCategory)category, Start, Start.AddHours(hours), capacity, null, Created));

        Assert.Equal([field], ex.Errors.Keys);
    }

    [Fact]
    public void Only_a_draft_can_be_published()
    {
        var activity = Draft();

        var published = activity.Publish(Created);

        Assert.Equal(ActivityStatus.Published, activity.Status);
        Assert.Equal((activity.Id, "321324104201", Start, End, 10), (published.ActivityId, published.StationCode, published.StartsAt, published.EndsAt, published.Capacity));
        Assert.Throws<ConflictException>(() => activity.Publish(Created.AddMinutes(1)));
        Assert.Equal(Created, activity.PublishedAt);
    }

    [Fact]
    public void Sign_up_is_open_only_while_published()
    {
        var draft = Draft();

        Assert.Throws<ConflictException>(() => draft.SignUp(Wang, Created));
        Assert.Empty(draft.SignUps);
    }

    [Fact]
    public void A_volunteer_signs_up_once()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);

        Assert.Throws<ConflictException>(() => activity.SignUp(Wang, Created));
        Assert.Single(activity.SignUps);
    }

    [Fact]
    public void Sign_up_stops_at_capacity()
    {
        var activity = Published(capacity: 1);
        activity.SignUp(Wang, Created);

        var ex = Assert.Throws<ConflictException>(() => activity.SignUp(Li, Created));

        Assert.Contains("1", ex.Message);
        Assert.Single(activity.SignUps);
    }

    [Fact]
    public void Check_in_is_refused_before_publishing_and_after_completion()
    {
        var draft = Draft();
        Assert.Throws<ConflictException>(() => draft.CheckIn(Wang.Id, Start, Start));

        var completed = Published();
        completed.SignUp(Wang, Created);
        completed.Complete(End);
        Assert.Throws<ConflictException>(() => completed.CheckIn(Wang.Id, End, End));
        Assert.Null(completed.SignUps.Single().CheckedInAt);
    }

    [Fact]
    public void Check_in_opens_the_lead_time_before_the_start_and_closes_at_the_end()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);
        activity.SignUp(Li, Created);
        var tooEarly = Start - Activity.CheckInLeadTime - TimeSpan.FromMinutes(1);
        var tooLate = End.AddMinutes(1);

        Assert.Throws<ConflictException>(() => activity.CheckIn(Wang.Id, tooEarly, tooEarly));
        Assert.Throws<ConflictException>(() => activity.CheckIn(Wang.Id, tooLate, tooLate));
        activity.CheckIn(Wang.Id, Start - Activity.CheckInLeadTime, Start - Activity.CheckInLeadTime);
        activity.CheckIn(Li.Id, End, End);

        Assert.All(activity.SignUps, s => Assert.NotNull(s.CheckedInAt));
    }

    [Fact]
    public void A_check_in_from_the_future_is_refused()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);

        var ex = Assert.Throws<DomainValidationException>(() => activity.CheckIn(Wang.Id, Start.AddMinutes(10), Start));

        Assert.Equal(["at"], ex.Errors.Keys);
        // Device clocks drift a little: within the skew the device's time is kept.
        activity.CheckIn(Wang.Id, Start + Activity.ClockSkew, Start);
        Assert.Equal(Start + Activity.ClockSkew, activity.SignUps.Single().CheckedInAt);
    }

    [Fact]
    public void Checking_in_twice_or_without_signing_up_is_refused()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);
        activity.CheckIn(Wang.Id, Start, Start);

        Assert.Throws<ConflictException>(() => activity.CheckIn(Wang.Id, Start.AddMinutes(5), Start.AddMinutes(5)));
        Assert.Throws<NotFoundException>(() => activity.CheckIn(Li.Id, Start, Start));
        Assert.Equal(Start, activity.SignUps.Single().CheckedInAt);
    }

    [Fact]
    public void Check_out_before_check_in_is_refused()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);

        Assert.Throws<ConflictException>(() => activity.CheckOut(Wang.Id, Start.AddHours(1), Start.AddHours(1)));

        activity.CheckIn(Wang.Id, Start.AddMinutes(30), Start.AddMinutes(30));
        var ex = Assert.Throws<DomainValidationException>(() => activity.CheckOut(Wang.Id, Start.AddMinutes(20), Start.AddHours(1)));
        Assert.Equal(["at"], ex.Errors.Keys);
        Assert.Null(activity.SignUps.Single().CheckedOutAt);
    }

    [Fact]
    public void Checking_out_twice_or_in_the_future_is_refused()
    {
        var activity = Published();
        activity.SignUp(Wang, Created);
        activity.CheckIn(Wang.Id, Start, Start);

        Assert.Throws<DomainValidationException>(() => activity.CheckOut(Wang.Id, Start.AddHours(1), Start.AddMinutes(10)));
        activity.CheckOut(Wang.Id, Start.AddHours(1), Start.AddHours(1));
        Assert.Throws<ConflictException>(() => activity.CheckOut(Wang.Id, Start.AddHours(1.5), Start.AddHours(1.5)));

        Assert.Equal(Start.AddHours(1), activity.SignUps.Single().CheckedOutAt);
    }

    [Theory]
    [InlineData(0, 120, "2")]          // exactly the activity's time
    [InlineData(-30, 180, "2")]        // early arrival and late departure are clipped to 10:00-12:00
    [InlineData(15, 105, "1.5")]
    [InlineData(0, 20, "0.33")]        // 20 minutes, to two decimals
    [InlineData(130, 150, "0")]        // entirely after the end
    public void Credited_hours_are_the_time_present_clipped_to_the_activity(int inMinutes, int outMinutes, string hours)
    {
        var activity = Draft();

        var credited = activity.CreditedHours(Start.AddMinutes(inMinutes), Start.AddMinutes(outMinutes));

        Assert.Equal(decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture), credited);
    }

    [Theory]
    [InlineData(59.5, "0.99")]
    [InlineData(20.3, "0.34")]
    public void Credited_hours_count_seconds_by_the_one_rule(double minutes, string hours)
    {
        var activity = Draft();

        var credited = activity.CreditedHours(Start, Start.AddMinutes(minutes));

        Assert.Equal(decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture), credited);
    }

    [Fact]
    public void Credited_hours_are_the_service_time_of_every_presence()
    {
        var activity = Draft();
        var random = new Random(1130);
        for (var i = 0; i < 5000; i++)
        {
            var checkedIn = Start.AddSeconds(random.Next(-1800, 7200));
            var checkedOut = checkedIn.AddMilliseconds(random.Next(0, 3 * 3600 * 1000));
            var from = checkedIn > Start ? checkedIn : Start;
            var to = checkedOut < End ? checkedOut : End;

            Assert.Equal(ServiceTime.FromPresence(to - from).Hours, activity.CreditedHours(checkedIn, checkedOut));
        }
    }

    [Fact]
    public void Completing_reports_who_was_there_and_for_how_long()
    {
        var activity = Published();
        var absent = Volunteer("张伟");
        var forgotToCheckOut = Volunteer("赵敏");
        foreach (var v in new[] { Wang, Li, absent, forgotToCheckOut })
        {
            activity.SignUp(v, Created);
        }
        activity.CheckIn(Wang.Id, Start.AddMinutes(-20), Start.AddMinutes(-20));
        activity.CheckIn(Li.Id, Start.AddMinutes(30), Start.AddMinutes(30));
        activity.CheckIn(forgotToCheckOut.Id, Start, Start);
        activity.CheckOut(Wang.Id, End.AddMinutes(15), End.AddMinutes(15));
        activity.CheckOut(Li.Id, Start.AddMinutes(90), Start.AddMinutes(90));

        var completed = activity.Complete(End.AddMinutes(20));

        Assert.Equal(ActivityStatus.Completed, activity.Status);
        Assert.Equal(End.AddMinutes(20), activity.CompletedAt);
        Assert.Equal((activity.Id, "321324104201", ActivityCategory.Policy, Start, End), (completed.ActivityId, completed.StationCode, completed.Category, completed.StartsAt, completed.EndsAt));
        Assert.Equal(2, completed.AttendeeCount);
        Assert.Equal(
            new[] { new ActivityParticipant(Wang.Id, 2m), new ActivityParticipant(Li.Id, 1m) }.OrderBy(p => p.VolunteerId),
            completed.Participants.OrderBy(p => p.VolunteerId));
    }

    [Fact]
    public void Completing_twice_is_refused()
    {
        var activity = Published();
        activity.Complete(End);

        var ex = Assert.Throws<ConflictException>(() => activity.Complete(End.AddHours(1)));

        Assert.Contains("already completed", ex.Message);
        Assert.Equal(End, activity.CompletedAt);
    }

    [Fact]
    public void Only_a_started_published_activity_can_be_completed()
    {
        Assert.Throws<ConflictException>(() => Draft().Complete(End));

        var activity = Published();
        Assert.Throws<ConflictException>(() => activity.Complete(Start.AddMinutes(-1)));
        Assert.Equal(ActivityStatus.Published, activity.Status);
    }
}
