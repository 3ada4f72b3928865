using NenkinBatch.Domain.Retention;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>The retention policy the settings put in force: a city's file (retentionPolicy), else the built-in one.</summary>
public static class PolicyInForce
{
    public static RetentionPolicy Load(Settings settings) =>
        settings.RetentionPolicyFile is { } path ? RetentionPolicy.LoadFile(path) : RetentionPolicy.BuiltIn;
}
