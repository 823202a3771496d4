using Integrity.Contracts.Services;

namespace Integrity.Storage.AzureTables.Streaming;

/// <summary>
/// Ends the resting readers' waits as soon as the silo starts to stop, before Orleans stops the pulling agents: each agent
/// awaits its reader's read under way, which for a resting partition would be a wait of up to
/// <see cref="JournalQueueReceiver.MaxRestingWait"/>.
/// </summary>
public sealed class JournalReadersStopping(JournalWakeSignals signals) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JournalReadersStopping), ServiceLifecycleStage.Last, _ => Task.CompletedTask, _ =>
        {
            signals.Stop();
            return Task.CompletedTask;
        });
}
