using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Hosting;

/// <summary>
/// The one way every options type of the engine is bound and checked: from its configuration section, by its data
/// annotations and its own list of problems (each named with the section), through <see cref="IValidateOptions{T}"/>,
/// at start (<c>ValidateOnStart</c>): a misconfigured host fails to start and says everything that is wrong at once.
/// </summary>
public static class ValidatedOptions
{
    /// <param name="name">Named options (a second section of the same type, e.g. the candidate policy); default: the unnamed ones.</param>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfigurationSection section, Func<T, IEnumerable<string>>? problems = null, string? name = null)
        where T : class
    {
        name ??= Options.DefaultName;
        if (problems is not null)
        {
            var validator = ServiceDescriptor.Singleton<IValidateOptions<T>>(new ProblemsValidator<T>(name, section.Path, problems));
            if (name == Options.DefaultName)
            {
                services.TryAddEnumerable(validator);
            }
            else
            {
                // TryAddEnumerable would take the unnamed validator (same type) for this one and skip it.
                services.Add(validator);
            }
        }

        return services.AddOptions<T>(name).Bind(section).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>Fails with every problem <paramref name="problems"/> names, each prefixed with the section.</summary>
    private sealed class ProblemsValidator<T>(string optionsName, string section, Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            if ((name ?? Options.DefaultName) != optionsName)
            {
                return ValidateOptionsResult.Skip;
            }

            var found = problems(options).Select(p => $"{section}: {p}").ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
