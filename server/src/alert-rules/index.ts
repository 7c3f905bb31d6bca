export { AlertRulesResolver } from './alert-rules.resolver';
export { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
export { checkRulesOf, runRuleChecks, type RuleCheckOutcome } from './rule-checks';
export { RuleHeadroom } from './rule-headroom';
