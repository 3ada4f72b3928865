using NLog;
using Polly;
using Polly.Retry;
using NenkinBatch.Foundation;

namespace NenkinBatch.Runtime;

/// <summary>
/// Retries a whole chunk transaction — never a single statement — when the database fails in a
/// way that may pass (a dropped connection, a restarting server, a busy file). After the last
/// attempt the failure propagates and the run ends as "database unavailable", resumable.
/// </summary>
public static class Resilience
{
    /// <param name="maxAttempts">Attempts in all, the first one included (retry.maxAttempts); 0 and 1 both mean one attempt and no retry.</param>
    public static ResiliencePipeline ChunkPipeline(Func<Exception, bool> isTransient, int maxAttempts, TimeSpan baseDelay, TimeProvider clock, Logger log)
    {
        if (maxAttempts <= 1) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient),
                // Polly counts the retries after the first attempt, the setting counts every attempt.
                MaxRetryAttempts = maxAttempts - 1,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    // "n/m回目": the attempt about to start out of all attempts; AttemptNumber is the zero-based one that just failed.
                    log.Warn("データベースの一時的な障害のため、{0:F1}秒後に再試行します（{1}/{2}回目）: {3}",
                        args.RetryDelay.TotalSeconds, args.AttemptNumber + 2, maxAttempts, args.Outcome.Exception?.GetType().Name);
                    return default;
                },
            })
            .Build();
    }
}

/// <summary>The database stayed unavailable through every retry.</summary>
public sealed class DatabaseUnavailableException(Exception inner)
    : OperatorException(ExitCode.DatabaseUnavailable,
        "データベースに接続できません（再試行しても回復しませんでした）。データベースサーバーの状態と接続設定を確認し、復旧後に同じコマンドを再実行してください。中断した箇所から再開します。",
        inner);
