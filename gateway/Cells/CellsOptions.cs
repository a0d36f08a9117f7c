namespace PracticeMesh.Gateway.Cells;

/// <summary>
/// Township cells (实践所 cells), section <c>Gateway:Cells</c>: where the routing table is, how often it is looked at,
/// which request fields carry a division code or an id, and which list reads are answered across every cell.
/// </summary>
public sealed class CellsOptions
{
    public const string Section = "Gateway:Cells";

    /// <summary>
    /// The routing table (JSON; see <see cref="CellTable"/>). Empty: no table, every service routes to its one cluster.
    /// In Kubernetes the ConfigMap <c>gateway-cells</c> mounted at /etc/practicemesh/cells/cells.json.
    /// </summary>
    public string? File { get; set; }

    /// <summary>
    /// How often the file is read again. A ConfigMap mount is replaced by swapping a symlink, which file watchers miss,
    /// so the gateway reads the (small) file on a timer and loads it when its bytes changed.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Query parameters, top-level JSON body properties and form fields whose value is a division, station or grid code
    /// (321324104, 321324104201, 321324104201-S01, 321324104201-02-1), looked at in this order.
    /// </summary>
    public string[] CodeParameters { get; set; } =
    [
        "under", "division", "divisionCode", "township", "village", "villageCode", "station", "stationCode", "grid", "gridCode",
        "parentCode", "codes", "address_id", "jurisdiction_id",
    ];

    /// <summary>
    /// Query parameters whose value is a grid case number (<see cref="PracticeMesh.Contracts.CaseNumber"/>, Open311's
    /// <c>service_request_id</c>): a comma list whose numbers all name one township goes to that township's cell.
    /// </summary>
    public string[] NumberParameters { get; set; } = ["service_request_id"];

    /// <summary>
    /// Query parameters and top-level JSON body properties whose value is the id of a cell service's record (a
    /// <see cref="PracticeMesh.Contracts.TownshipGuid"/>), for requests that name their record only there (an order
    /// placed from a menu item). Looked at after the ids in the path.
    /// </summary>
    public string[] IdParameters { get; set; } = ["menuItemId"];

    /// <summary>
    /// Form posts placed by a point alone (Open311's <c>lat</c> and <c>long</c>, with no <c>address_id</c> or
    /// <c>jurisdiction_id</c>): when their service has several cells, each is asked at once which of its townships'
    /// grids hold the point, and the post goes to that township's cell.
    /// </summary>
    public PointPostSettings PointPosts { get; set; } = new();

    /// <summary>
    /// GET paths (prefixes, case-insensitive) of a record one cell holds, found by something that names no township
    /// (Open311's follow token): when the request names no township, every cell of the service is asked at once and
    /// the one that has it answers. Keyed by service.
    /// </summary>
    public Dictionary<string, string[]> FoundInOneCell { get; set; } = new(StringComparer.Ordinal)
    {
        ["grid"] = ["/open311/v2/tokens/"],
    };

    /// <summary>Reads answered across every cell of their service when their scope is the whole county; keyed by a name.</summary>
    public Dictionary<string, CountyReadSettings> CountyReads { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a county-wide read waits for the slowest cell before answering 504.</summary>
    public TimeSpan CountyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One list endpoint answered across cells: each cell is asked with the caller's own headers and query, and their
/// answers are merged the way the service orders and pages them.
/// </summary>
public sealed class CountyReadSettings
{
    /// <summary>The service (the cluster id of its routes and the table's key): <c>activities</c>, <c>grid</c>.</summary>
    public string Service { get; set; } = "";

    /// <summary>The path, matched whole (case-insensitive, a trailing slash ignored), GET only.</summary>
    public string Path { get; set; } = "";

    /// <summary>The query parameter holding the read's scope (a division prefix); without it the caller's own scope.</summary>
    public string ScopeParameter { get; set; } = "under";

    /// <summary>
    /// A read anyone may make without a token (Open311's search of requests): asked without a scope, it is the
    /// county's. Otherwise a caller with no division claim gets the primary cell's answer, as before cells.
    /// </summary>
    public bool Public { get; set; }

    /// <summary>The property holding the items of an answer that is an object; empty when the answer is the array itself.</summary>
    public string Items { get; set; } = "";

    /// <summary>The property holding the number of matching items over all pages (summed), if the answer has one.</summary>
    public string? Total { get; set; }

    /// <summary>
    /// The service's order, as item properties each optionally followed by <c> desc</c> (<c>["reportedAt desc", "id desc"]</c>).
    /// Values that are ISO 8601 timestamps compare as instants, numbers as numbers, anything else ordinally.
    /// </summary>
    public string[] OrderBy { get; set; } = [];

    /// <summary>The most items the service answers in one list (no paging parameters): the merged list is cut there too.</summary>
    public int? Limit { get; set; }

    /// <summary>Offset paging: the page number parameter (1-based). Unset for a list without pages.</summary>
    public string? PageParameter { get; set; }

    /// <summary>Offset paging: the page size parameter.</summary>
    public string? PageSizeParameter { get; set; }

    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page the service gives; deeper county-wide pages are gathered from several pages of each cell.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>The deepest item (page × pageSize) a county-wide read gathers from each cell; deeper pages are refused (400).</summary>
    public int MaxDepth { get; set; } = 5000;

    public bool IsPaged => !string.IsNullOrEmpty(PageParameter) && !string.IsNullOrEmpty(PageSizeParameter);
}

/// <summary>Which form posts are placed by a point, and how a cell is asked where the point lies.</summary>
public sealed class PointPostSettings
{
    /// <summary>The service (cluster id of its routes) whose cells are asked.</summary>
    public string Service { get; set; } = "grid";

    /// <summary>The posts' paths, matched whole (case-insensitive).</summary>
    public string[] Paths { get; set; } = ["/open311/v2/requests.json", "/open311/v2/requests.xml"];

    public string Latitude { get; set; } = "lat";
    public string Longitude { get; set; } = "long";

    /// <summary>Each cell's answer to "which township's grids hold this point" (<c>?lat=…&amp;lon=…</c>): 200 <c>{"township"}</c> or 404.</summary>
    public string LocatePath { get; set; } = "/api/v1/grid/locate/township";
}
