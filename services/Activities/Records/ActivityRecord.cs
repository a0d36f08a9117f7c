namespace PracticeMesh.Activities.Records;

public enum AttachmentKind { Photo, SignInSheet, Other }

/// <summary>An activity's record (资料留存): the organiser's summary of what was done.</summary>
public sealed class ActivityRecord
{
    public Guid ActivityId { get; set; }
    public string Summary { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A file kept with an activity's record (a photo, a scanned sign-in sheet): its description here, its bytes in the <see cref="IRecordStore"/>.</summary>
public sealed class RecordAttachment
{
    public Guid Id { get; set; }
    public Guid ActivityId { get; set; }
    public AttachmentKind Kind { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string StorageKey { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
}
