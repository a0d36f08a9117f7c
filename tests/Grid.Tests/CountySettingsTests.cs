using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// The county's case categories and working calendar are the same in every grid cell: the cell that takes a write
/// publishes the whole document with a revision, and a cell takes the newest it hears, whatever the order or copies.
/// </summary>
public sealed class CountySettingsTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private static readonly DivisionCode County = DivisionCode.Parse("321324");
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_category_write_publishes_the_whole_list_which_the_writing_cell_does_not_apply_twice()
    {
        using var county = factory.CreateClient();
        var written = await county.PutJsonAsync("/api/v1/grid/categories/lost-dogs", new
        {
            name = "走失犬只",
            acceptWithin = new { amount = 6, unit = "WorkingHours" },
            handleWithin = new { amount = 4, unit = "WorkingDays" },
            verifyWithin = new { amount = 1, unit = "WorkingDays" },
        }, HttpStatusCode.Created);

        var published = await factory.PublishedAsync<CaseCategoriesChanged>(e => e.Categories.Any(c => c.Code == "lost-dogs"));
        Assert.Equal(County, published.DivisionCode);
        // The whole list: the shipped eight and the new one.
        Assert.Equal(9, published.Categories.Count);
        Assert.Equal(new CaseTimeLimit(6, "WorkingHours"), published.Categories.Single(c => c.Code == "lost-dogs").AcceptWithin);
        await factory.ConsumedAsync<CaseCategoriesChanged>(e => e.EventId == published.EventId);
        var read = await county.GetAsync("/api/v1/grid/categories/lost-dogs", HttpStatusCode.OK);
        Assert.Equal(written.GetProperty("version").GetInt32(), read.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_calendar_write_publishes_the_year()
    {
        using var county = factory.CreateClient();
        await county.PutJsonAsync("/api/v1/grid/calendar/2040", new { holidays = new[] { "2040-01-02" }, workdays = new[] { $"{MakeUpDay(2040):yyyy-MM-dd}" } }, HttpStatusCode.OK);

        var published = await factory.PublishedAsync<WorkingCalendarChanged>(e => e.Year == 2040);
        Assert.Equal([new DateOnly(2040, 1, 2)], published.Holidays);
        Assert.Equal([MakeUpDay(2040)], published.Workdays);
    }

    [Fact]
    public async Task Category_lists_heard_in_every_order_and_twice_end_as_the_newest()
    {
        using var reader = factory.CreateClient(PracticeMeshRoles.GridWorker, "321324104201");
        var orders = EventOrders.Permutations([0, 1, 2]).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            // Each round's revisions are past the last round's, as the county's later writes are.
            var history = CategoryHistory(round: i);
            await factory.DeliverAsync([.. orders[i].Select(e => history[e]), history[orders[i][0]], history[orders[i][^1]]]);

            var list = (await reader.GetAsync("/api/v1/grid/categories", HttpStatusCode.OK)).EnumerateArray().ToList();
            var order = string.Join(",", orders[i]);
            var dispute = list.Single(c => c.GetProperty("code").GetString() == "dispute");
            Assert.True(Limit(dispute, "handleWithin") == (30 + i, "WorkingDays"), $"order {order}: dispute {Limit(dispute, "handleWithin")}");
            var strays = list.Single(c => c.GetProperty("code").GetString() == "stray-animals");
            Assert.True(strays.GetProperty("name").GetString() == $"流浪动物 {i}" && !strays.GetProperty("active").GetBoolean(), $"order {order}: {strays}");
            // A category the newest list leaves out is no longer offered.
            var sanitation = list.Single(c => c.GetProperty("code").GetString() == "sanitation");
            Assert.False(sanitation.GetProperty("active").GetBoolean(), $"order {order}: sanitation still active");
        }
    }

    [Fact]
    public async Task A_years_calendar_heard_in_every_order_and_twice_ends_as_the_newest()
    {
        using var reader = factory.CreateClient(PracticeMeshRoles.GridWorker, "321324104201");
        var orders = EventOrders.Permutations([0, 1, 2]).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            var year = 2050 + i;
            var history = CalendarHistory(year);
            await factory.DeliverAsync([.. orders[i].Select(e => history[e]), history[orders[i][0]], history[orders[i][^1]]]);

            var read = await reader.GetAsync($"/api/v1/grid/calendar/{year}", HttpStatusCode.OK);
            Assert.Equal("county", read.GetProperty("source").GetString());
            Assert.True(Dates(read, "holidays") == $"{year}-01-01,{year}-01-02,{year}-01-03", $"order {string.Join(",", orders[i])}: {Dates(read, "holidays")}");
            Assert.Equal($"{MakeUpDay(year):yyyy-MM-dd}", Dates(read, "workdays"));
        }
    }

    /// <summary>Three lists of one round, oldest first: dispute's handling limit grows, stray-animals appears, then is switched off.</summary>
    private static IIntegrationEvent[] CategoryHistory(int round)
    {
        var baseRevision = T0.UtcTicks + round * 10;
        return [.. Enumerable.Range(0, 3).Select(step =>
        {
            List<CaseCategorySetting> categories =
            [
                Setting("dispute", "矛盾纠纷", step == 2 ? 30 + round : 10 + step, active: true),
                Setting("road-damage", "道路破损", 5, active: true),
            ];
            if (step == 0)
            {
                categories.Add(Setting("sanitation", "环境卫生", 1, active: true));
            }
            else
            {
                categories.Add(Setting("stray-animals", $"流浪动物 {(step == 2 ? round : -1)}", 2, active: step == 1));
            }
            return (IIntegrationEvent)new CaseCategoriesChanged(Guid.NewGuid(), T0.AddMinutes(step), County, baseRevision + step, categories);
        })];
    }

    private static CaseCategorySetting Setting(string code, string name, int handleDays, bool active) => new(code, name, null,
        new CaseTimeLimit(8, "WorkingHours"), new CaseTimeLimit(handleDays, "WorkingDays"), new CaseTimeLimit(2, "WorkingDays"), false, active, 1);

    /// <summary>Three loads of a year, oldest first; the last has three holidays and one make-up working day.</summary>
    private static IIntegrationEvent[] CalendarHistory(int year)
    {
        var day = (int d) => new DateOnly(year, 1, d);
        var saturday = MakeUpDay(year);
        return
        [
            new WorkingCalendarChanged(Guid.NewGuid(), T0, County, year, T0.UtcTicks, [day(1)], []),
            new WorkingCalendarChanged(Guid.NewGuid(), T0.AddMinutes(1), County, year, T0.UtcTicks + 1, [day(1), day(2)], []),
            new WorkingCalendarChanged(Guid.NewGuid(), T0.AddMinutes(2), County, year, T0.UtcTicks + 2, [day(1), day(2), day(3)], [saturday]),
        ];
    }

    /// <summary>The first Saturday after 3 January: a weekend day that may be made a working day.</summary>
    private static DateOnly MakeUpDay(int year)
    {
        var day = new DateOnly(year, 1, 4);
        while (day.DayOfWeek != DayOfWeek.Saturday)
        {
            day = day.AddDays(1);
        }
        return day;
    }

    private static (int, string?) Limit(JsonElement category, string name) =>
        (category.GetProperty(name).GetProperty("amount").GetInt32(), category.GetProperty(name).GetProperty("unit").GetString());

    private static string Dates(JsonElement year, string name) => string.Join(",", year.GetProperty(name).EnumerateArray().Select(d => d.GetString()));
}
