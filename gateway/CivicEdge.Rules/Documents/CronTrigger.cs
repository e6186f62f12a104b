namespace CivicEdge.Rules.Documents;

/// <summary>Evaluated at the times of a cron expression, in the gateway's time zone.</summary>
public sealed record CronTrigger(string Expression) : RuleTrigger;
