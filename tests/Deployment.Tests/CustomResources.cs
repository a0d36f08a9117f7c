using k8s;
using k8s.Models;

namespace PracticeMesh.Deployment.Tests;

// The operators' custom resources deploy/k8s uses, as far as it uses them: each field as the operator's CRD names it,
// so the strict reader refuses a misspelt or misplaced one exactly as it does for Kubernetes' own kinds. Sources: the
// RabbitMQ Cluster Operator (rabbitmq.com/v1beta1), CloudNativePG (postgresql.cnpg.io/v1) and Dapr (dapr.io/v1alpha1)
// API references. A field deploy/k8s starts to use is added here from the same reference.

public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public TSpec? Spec { get; set; }
}

public sealed class SecretKeySelector
{
    public string? Name { get; set; }
    public string? Key { get; set; }
}

public sealed class LocalObjectReference
{
    public string? Name { get; set; }
}

[KubernetesEntity(Group = "rabbitmq.com", ApiVersion = "v1beta1", Kind = "RabbitmqCluster", PluralName = "rabbitmqclusters")]
public sealed class RabbitmqCluster : CustomResource<RabbitmqClusterSpec>;

public sealed class RabbitmqClusterSpec
{
    public int? Replicas { get; set; }
    public string? Image { get; set; }
    public V1ResourceRequirements? Resources { get; set; }
    public V1Affinity? Affinity { get; set; }
    public List<V1Toleration>? Tolerations { get; set; }
    public RabbitmqPersistence? Persistence { get; set; }
    public RabbitmqConfiguration? Rabbitmq { get; set; }
}

public sealed class RabbitmqPersistence
{
    public string? StorageClassName { get; set; }
    public ResourceQuantity? Storage { get; set; }
}

public sealed class RabbitmqConfiguration
{
    public List<string>? AdditionalPlugins { get; set; }
    public string? AdditionalConfig { get; set; }
    public string? AdvancedConfig { get; set; }
    public string? EnvConfig { get; set; }
}

[KubernetesEntity(Group = "postgresql.cnpg.io", ApiVersion = "v1", Kind = "Cluster", PluralName = "clusters")]
public sealed class PostgresCluster : CustomResource<PostgresClusterSpec>;

public sealed class PostgresClusterSpec
{
    public string? Description { get; set; }
    public int Instances { get; set; }
    public string? ImageName { get; set; }
    public PostgresBootstrap? Bootstrap { get; set; }
    public PostgresStorage? Storage { get; set; }
    public V1ResourceRequirements? Resources { get; set; }
    public PostgresAffinity? Affinity { get; set; }
    public PostgresConfiguration? Postgresql { get; set; }
    public PostgresBackup? Backup { get; set; }
}

public sealed class PostgresBootstrap
{
    public PostgresInitDb? Initdb { get; set; }
}

public sealed class PostgresInitDb
{
    public string? Database { get; set; }
    public string? Owner { get; set; }
    public LocalObjectReference? Secret { get; set; }
    public List<string>? PostInitSQL { get; set; }
    public List<string>? PostInitApplicationSQL { get; set; }
    public List<string>? PostInitTemplateSQL { get; set; }
}

public sealed class PostgresStorage
{
    public ResourceQuantity? Size { get; set; }
    public string? StorageClass { get; set; }
}

public sealed class PostgresAffinity
{
    public bool? EnablePodAntiAffinity { get; set; }
    public string? TopologyKey { get; set; }
    public string? PodAntiAffinityType { get; set; }
}

public sealed class PostgresConfiguration
{
    public Dictionary<string, string>? Parameters { get; set; }
}

public sealed class PostgresBackup
{
    public string? RetentionPolicy { get; set; }
    public BarmanObjectStore? BarmanObjectStore { get; set; }
}

public sealed class BarmanObjectStore
{
    public string? DestinationPath { get; set; }
    public string? EndpointURL { get; set; }
    public S3Credentials? S3Credentials { get; set; }
    public BarmanCompression? Wal { get; set; }
    public BarmanCompression? Data { get; set; }
}

public sealed class S3Credentials
{
    public SecretKeySelector? AccessKeyId { get; set; }
    public SecretKeySelector? SecretAccessKey { get; set; }
    public SecretKeySelector? Region { get; set; }
}

public sealed class BarmanCompression
{
    public string? Compression { get; set; }
}

[KubernetesEntity(Group = "postgresql.cnpg.io", ApiVersion = "v1", Kind = "ScheduledBackup", PluralName = "scheduledbackups")]
public sealed class PostgresScheduledBackup : CustomResource<PostgresScheduledBackupSpec>;

public sealed class PostgresScheduledBackupSpec
{
    public string? Schedule { get; set; }
    public string? BackupOwnerReference { get; set; }
    public bool? Immediate { get; set; }
    public string? Method { get; set; }
    public LocalObjectReference? Cluster { get; set; }
}

[KubernetesEntity(Group = "dapr.io", ApiVersion = "v1alpha1", Kind = "Component", PluralName = "components")]
public sealed class DaprComponent : CustomResource<DaprComponentSpec>
{
    public DaprComponentAuth? Auth { get; set; }
    public List<string>? Scopes { get; set; }
}

public sealed class DaprComponentSpec
{
    public string? Type { get; set; }
    public string? Version { get; set; }
    public string? InitTimeout { get; set; }
    public bool? IgnoreErrors { get; set; }
    public List<DaprMetadataItem>? Metadata { get; set; }
}

public sealed class DaprMetadataItem
{
    public string? Name { get; set; }
    public string? Value { get; set; }
    public SecretKeySelector? SecretKeyRef { get; set; }
}

public sealed class DaprComponentAuth
{
    public string? SecretStore { get; set; }
}

[KubernetesEntity(Group = "dapr.io", ApiVersion = "v1alpha1", Kind = "Resiliency", PluralName = "resiliencies")]
public sealed class DaprResiliency : CustomResource<DaprResiliencySpec>
{
    public List<string>? Scopes { get; set; }
}

public sealed class DaprResiliencySpec
{
    public DaprResiliencyPolicies? Policies { get; set; }
    public DaprResiliencyTargets? Targets { get; set; }
}

public sealed class DaprResiliencyPolicies
{
    public Dictionary<string, string>? Timeouts { get; set; }
    public Dictionary<string, DaprRetry>? Retries { get; set; }
    public Dictionary<string, DaprCircuitBreaker>? CircuitBreakers { get; set; }
}

public sealed class DaprRetry
{
    public string? Policy { get; set; }
    public string? Duration { get; set; }
    public string? MaxInterval { get; set; }
    public int? MaxRetries { get; set; }
}

public sealed class DaprCircuitBreaker
{
    public int? MaxRequests { get; set; }
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public string? Trip { get; set; }
}

public sealed class DaprResiliencyTargets
{
    public Dictionary<string, DaprPolicyNames>? Apps { get; set; }
    public Dictionary<string, DaprComponentPolicies>? Components { get; set; }
}

public sealed class DaprPolicyNames
{
    public string? Timeout { get; set; }
    public string? Retry { get; set; }
    public string? CircuitBreaker { get; set; }
}

public sealed class DaprComponentPolicies
{
    public DaprPolicyNames? Outbound { get; set; }
    public DaprPolicyNames? Inbound { get; set; }
}
