/** The Agents page and the pure functions that prepare it. */
export { AgentsPage } from './AgentsPage';
export { prepareAgentRows, agentFigures, agentCostByModel, modelMix, DAILY_COST_WORDS, type AgentRow, type AgentFigures } from './prepare-agents';
