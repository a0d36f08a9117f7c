namespace PracticeMesh.Activities.Records;

/// <summary>
/// Where activity records' files live, by key (<c>{activityId}/{attachmentId}</c>). The one way the service reaches
/// them: a local folder today (<see cref="LocalDirectoryRecordStore"/>); an S3-compatible object store can stand behind
/// the same interface later without the API changing.
/// </summary>
public interface IRecordStore
{
    /// <summary>Stores the content under the key, whole or not at all.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The content, or null when nothing is stored under the key.</summary>
    Task<Stream?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the content; a key with nothing stored is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// Files under one folder: the standalone host's data folder, or a persistent volume on Kubernetes (every replica
/// mounts the same volume, <c>ReadWriteMany</c>, or the service runs one replica).
/// </summary>
public sealed class LocalDirectoryRecordStore(string root) : IRecordStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and moved into place, so a reader never sees half a file and a failed write leaves none.
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public Task<Stream?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true)
            : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Keys are made by the service (ids and slashes only); anything else would reach outside the folder.</summary>
    private string PathOf(string key)
    {
        if (key.Length is 0 or > 200 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/') || key.Contains("//") || key.StartsWith('/'))
        {
            throw new ArgumentException($"Not a record key: {key}", nameof(key));
        }
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
