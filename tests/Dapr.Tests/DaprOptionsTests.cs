using Microsoft.Extensions.Configuration;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Dapr;

namespace PracticeMesh.Dapr.Tests;

public sealed class DaprOptionsTests
{
    [Theory]
    [InlineData(null, null, null, "http://localhost:3500/")]
    [InlineData(null, null, "3601", "http://127.0.0.1:3601/")]
    [InlineData(null, "http://dapr.local:3700", "3601", "http://dapr.local:3700/")]
    [InlineData("http://10.0.0.5:3500", "http://dapr.local:3700", "3601", "http://10.0.0.5:3500/")]
    public void The_sidecar_endpoint_is_the_setting_else_the_variables_the_injector_sets_else_the_default(
        string? setting, string? endpointVariable, string? portVariable, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dapr:HttpEndpoint"] = setting,
            ["DAPR_HTTP_ENDPOINT"] = endpointVariable,
            ["DAPR_HTTP_PORT"] = portVariable,
        }).Build();

        Assert.Equal(expected, DaprOptions.From(configuration).SidecarAddress.ToString());
    }

    [Fact]
    public void A_malformed_endpoint_fails_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dapr:HttpEndpoint"] = "localhost:3500" }).Build();

        Assert.Throws<InvalidOperationException>(() => DaprOptions.From(configuration));
    }

    [Fact]
    public void Events_are_named_by_their_contract_version_and_published_on_their_own_topic()
    {
        Assert.Equal("practicemesh.CaseEscalated.v1", CloudEvent.TypeOf(typeof(CaseEscalated)));
        Assert.Equal("case-escalated", CloudEvent.TopicOf(typeof(CaseEscalated)));
    }

    [Fact]
    public void A_CloudEvent_id_names_the_same_inbox_row_every_time_and_another_source_another()
    {
        Assert.Equal(DaprTopics.InboxIdOf("42", "county-hotline"), DaprTopics.InboxIdOf("42", "county-hotline"));
        Assert.NotEqual(DaprTopics.InboxIdOf("42", "county-hotline"), DaprTopics.InboxIdOf("42", "township-app"));
    }
}
