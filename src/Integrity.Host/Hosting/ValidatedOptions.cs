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
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfigurationSection section, Func<T, IEnumerable<string>>? problems = null)
        where T : class
    {
        if (problems is not null)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new ProblemsValidator<T>(section.Path, problems)));
        }

        return services.AddOptions<T>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>Fails with every problem <paramref name="problems"/> names, each prefixed with the section.</summary>
    private sealed class ProblemsValidator<T>(string section, Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).Select(p => $"{section}: {p}").ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
