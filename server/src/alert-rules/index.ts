export { AlertRulesResolver } from './alert-rules.resolver';
export { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
export { RuleWatcher, runRuleChecks, type RuleCheckOutcome } from './rule-checks';
