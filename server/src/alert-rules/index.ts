export { AlertRulesResolver } from './alert-rules.resolver';
export { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
export { checkWorkspaceRules, runRuleChecks, type RuleCheckOutcome } from './rule-checks';
