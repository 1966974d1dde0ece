#if NETFRAMEWORK
namespace System.Runtime.CompilerServices;

/// <summary>Lets C# records and init accessors compile for net472, whose base library lacks the marker type.</summary>
internal static class IsExternalInit
{
}
#endif
