using Microsoft.EntityFrameworkCore;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>
/// The categories a new county starts with (drawn from the 数字城管 部件/事件 classes a village meets most), each with
/// limits a county may change through the API. Written once, when the table is empty: a county's edits are never
/// overwritten by a restart or a new version.
/// </summary>
public static class DefaultCategories
{
    private static WorkingTime Hours(int n) => new(n, LimitUnit.WorkingHours);
    private static WorkingTime Days(int n) => new(n, LimitUnit.WorkingDays);

    public static IReadOnlyList<CaseCategory> Create() =>
    [
        new("sanitation", "环境卫生", Hours(4), Days(2), Days(1), staysInGrid: true),
        new("road-damage", "道路破损", Hours(8), Days(5), Days(2), staysInGrid: false),
        new("public-facility", "公共设施损坏", Hours(8), Days(3), Days(1), staysInGrid: false),
        new("safety-hazard", "安全隐患", Hours(2), Days(1), Hours(8), staysInGrid: false),
        new("dispute", "矛盾纠纷", Hours(8), Days(5), Days(2), staysInGrid: false),
        new("illegal-construction", "违章搭建", Days(1), Days(10), Days(3), staysInGrid: false),
        new("help-request", "困难帮扶", Hours(8), Days(3), Days(1), staysInGrid: true),
        new("other", "其他", Days(1), Days(5), Days(2), staysInGrid: true),
    ];
}

/// <summary>
/// Writes <see cref="DefaultCategories"/> once the schema exists, if the county has no categories yet. Awaited before
/// the host serves requests, so the first report finds its category.
/// </summary>
public sealed class DefaultCategorySeeder(IServiceScopeFactory scopes, DatabaseSchema<GridDbContext> schema, ILogger<DefaultCategorySeeder> logger) : EarlyStartedService
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            if (await db.CaseCategories.AnyAsync(stoppingToken))
            {
                return;
            }
            db.CaseCategories.AddRange(DefaultCategories.Create());
            await db.SaveChangesAsync(stoppingToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another replica wrote them first.
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // A schema that failed is the initializer's to report; anything else is logged and the host still starts.
            logger.LogWarning(ex, "The default case categories were not written");
        }
    }
}
