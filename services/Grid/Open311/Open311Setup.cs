namespace PracticeMesh.Grid.Open311;

public static class Open311Setup
{
    /// <summary>
    /// Open311's settings and its error format. The error writer goes ahead of the problem details writer, which would
    /// otherwise answer first: it speaks only for <c>/open311/v2</c> paths, so the rest of the host keeps RFC 7807.
    /// </summary>
    public static void AddOpen311(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection("Grid:Open311").Get<Open311Options>() ?? new Open311Options());
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, Open311ErrorWriter>());
    }

    /// <summary>The GeoReport v2 endpoints and the admin endpoints of partners' keys.</summary>
    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapOpen311Api().MapOpen311KeysApi();
}
