using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>What commands add to the fleet: options, the store's command records, the dispatcher and the REST API.</summary>
internal static class CommandComposition
{
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandOptions>, CommandOptionsValidator>();
        services.AddSingleton(provider => (Core.Commands.ICommandStore)provider.GetRequiredService<Core.IFleetStore>());
        services.AddSingleton<CommandSignals>();
        services.AddSingleton<ICommandPublisher>(provider => provider.GetRequiredService<MqttIngestService>());
        services.AddSingleton<CommandDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<CommandDispatcher>());
        return services;
    }
}
