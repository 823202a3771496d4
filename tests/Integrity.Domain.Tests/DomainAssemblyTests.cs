namespace Integrity.Domain.Tests;

public sealed class DomainAssemblyTests
{
    [Fact]
    public void Domain_assembly_references_no_infrastructure()
    {
        var referenced = typeof(DomainAssembly).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.DoesNotContain(referenced, n => n.StartsWith("Orleans", StringComparison.Ordinal) || n.StartsWith("Azure", StringComparison.Ordinal));
    }
}
