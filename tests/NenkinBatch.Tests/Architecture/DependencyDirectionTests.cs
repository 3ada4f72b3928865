using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Architecture;

/// <summary>
/// The library's parts depend in one direction (docs/architecture.md, "Layers"): a part may use only the parts listed
/// for it here. Checked twice: over the compiled assembly — every type a type names in its signatures and in the IL of
/// its method bodies — and over the sources' <c>using</c> lines, so an upward reference fails whether or not it is used.
/// </summary>
public partial class DependencyDirectionTests
{
    /// <summary>What each part may use besides itself. Keep in step with docs/architecture.md and the README's Layout.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Foundation"] = [],
        ["Domain"] = ["Foundation"],
        ["Formats"] = ["Domain", "Foundation"],
        ["Matching"] = ["Domain", "Foundation"],
        ["Persistence"] = ["Formats", "Domain", "Foundation"],
        ["Runtime"] = ["Persistence", "Formats", "Matching", "Domain", "Foundation"],
        ["Synthetic"] = ["Formats", "Matching", "Domain", "Foundation"],
        ["Jobs"] = ["Runtime", "Synthetic", "Persistence", "Formats", "Matching", "Domain", "Foundation"],
    };

    private static readonly Assembly Library = typeof(NenkinBatch.Foundation.ExitCode).Assembly;

    [Fact]
    public void CompiledTypes_ReferenceOnlyTheLayersBelowThem()
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in Library.GetTypes())
        {
            if (LayerOf(type) is not { } from) continue;
            foreach (var used in ReferencedTypes(type))
            {
                if (LayerOf(used) is { } to && to != from && !Allowed[from].Contains(to))
                    violations.Add($"{from} → {to}: {Outermost(type).FullName} uses {Outermost(used).FullName}");
            }
        }
        violations.ShouldBeEmpty();
    }

    [Fact]
    public void SourceUsings_NameOnlyTheLayersBelowThem()
    {
        var root = Path.Combine(AdminProcess.RepositoryRoot, "lib", "NenkinBatch");
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var from = relative.Split('/')[0];
            if (!Allowed.ContainsKey(from)) continue;
            foreach (Match match in UsingOfPart().Matches(File.ReadAllText(file)))
            {
                var to = match.Groups[1].Value;
                if (to != from && Allowed.ContainsKey(to) && !Allowed[from].Contains(to)) violations.Add($"{relative}: using NenkinBatch.{to}");
            }
        }
        violations.ShouldBeEmpty();
    }

    [Fact]
    public void EveryNamespaceOfTheLibrary_IsAPartWithARule()
    {
        Library.GetTypes().Where(t => t.Namespace?.StartsWith("NenkinBatch.", StringComparison.Ordinal) == true)
            .Select(t => t.Namespace!.Split('.')[1]).Distinct().Where(part => !Allowed.ContainsKey(part))
            .ShouldBeEmpty();
    }

    [Fact]
    public void TheScan_SeesReferencesMadeOnlyInsideMethodBodies()
    {
        // JobRunner opens the store inside an async method: only the IL of its state machine names Persistence.Store.
        ReferencedTypes(typeof(NenkinBatch.Runtime.JobRunner)).ShouldContain(typeof(NenkinBatch.Persistence.Store));
        // A lambda's closure class is nested in the type that wrote it, so its references count as that type's.
        LayerOf(typeof(NenkinBatch.Runtime.JobRunner).GetNestedTypes(BindingFlags.NonPublic).First()).ShouldBe("Runtime");
    }

    private static string? LayerOf(Type type)
    {
        var ns = Outermost(type).Namespace;
        if (ns is null || !ns.StartsWith("NenkinBatch.", StringComparison.Ordinal) || type.Assembly != Library) return null;
        return ns.Split('.')[1];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type named by a type's declaration, its members' signatures and its methods' IL (with generic arguments).</summary>
    private static HashSet<Type> ReferencedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter || !found.Add(t)) return;
            if (t.IsGenericType) foreach (var argument in t.GetGenericArguments()) Add(argument);
        }
        foreach (var nested in new[] { type }.Concat(AllNested(type)))
        {
            Add(nested.BaseType);
            foreach (var i in nested.GetInterfaces()) Add(i);
            foreach (var field in nested.GetFields(Everything)) Add(field.FieldType);
            foreach (var property in nested.GetProperties(Everything)) Add(property.PropertyType);
            foreach (var method in nested.GetMethods(Everything).Cast<MethodBase>().Concat(nested.GetConstructors(Everything)))
            {
                if (method is MethodInfo info) Add(info.ReturnType);
                foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType);
                foreach (var local in method.GetMethodBody()?.LocalVariables ?? []) Add(local.LocalType);
                foreach (var member in MembersInBody(method))
                {
                    switch (member)
                    {
                        case Type t: Add(t); break;
                        case MethodBase m:
                            Add(m.DeclaringType);
                            if (m is MethodInfo { IsGenericMethod: true } g) foreach (var argument in g.GetGenericArguments()) Add(argument);
                            break;
                        case FieldInfo f: Add(f.DeclaringType); Add(f.FieldType); break;
                    }
                }
            }
        }
        return found;
    }

    private static IEnumerable<Type> AllNested(Type type) =>
        type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(n => new[] { n }.Concat(AllNested(n)));

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types, methods and fields a method's IL names (call, newobj, ldfld, box, ldtoken …).</summary>
    private static IEnumerable<MemberInfo> MembersInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE) value = (short)(0xFE00 | il[at++]);
            var opCode = OpCodesByValue[value];
            var size = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                MemberInfo? member;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;
                }
                if (member is not null) yield return member;
            }
            at += size;
        }
    }

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?NenkinBatch\.([A-Za-z]+)", RegexOptions.Multiline)]
    private static partial Regex UsingOfPart();
}
