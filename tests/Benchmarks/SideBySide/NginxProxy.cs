using System.Diagnostics;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>
/// nginx (Debian's, installed by tests/Benchmarks/run.sh) as a plain reverse proxy in front of one backend, with
/// upstream keep-alive: the reference G2 holds the gateway against.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<NginxProxy> StartAsync(Uri backend)
    {
        var address = ServiceProcess.NewAddress();
        var directory = Path.Combine(Path.GetTempPath(), "practicemesh-nginx", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        // One worker per core, as the gateway's thread pool has; no access log, as the gateway logs only warnings.
        var config = $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes auto;
            error_log {{directory}}/error.log warn;
            pid {{directory}}/nginx.pid;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              upstream backend {
                server {{backend.Authority}};
                keepalive 128;
              }
              server {
                listen {{address.Authority}};
                keepalive_requests 100000;
                location / {
                  proxy_pass http://backend;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                }
              }
            }
            """;
        var file = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(file, config);
        var info = new ProcessStartInfo("nginx", ["-p", directory, "-c", file, "-g", "daemon off;"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start (is it installed?).");
        var proxy = new NginxProxy(process, directory, address);
        using var http = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var response = await http.GetAsync("/health/live");
                return proxy;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        await proxy.DisposeAsync();
        throw new TimeoutException("nginx did not listen within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
