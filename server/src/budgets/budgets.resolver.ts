import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { noteAudit, pubsubAfterCommit, who, writeWorkspace, type Context } from '../graphql/context';
import { Budget, BudgetInput } from './budget.types';
import { checkBudgets, deleteBudget, listBudgets, setBudget } from './budgets.service';

@Resolver()
export class BudgetsResolver {
  @Authorized()
  @Query(() => [Budget])
  budgets(@Ctx() ctx: Context): Promise<Budget[]> {
    return listBudgets(ctx.db, who(ctx).scope, ctx.services.now());
  }

  @Authorized()
  @Mutation(() => Budget, { description: 'Creates a budget, or replaces the one for the same window and target.' })
  async setBudget(@Arg('input', () => BudgetInput) input: BudgetInput, @Ctx() ctx: Context): Promise<Budget> {
    const workspaceId = writeWorkspace(ctx);
    const budget = await setBudget(ctx.db, workspaceId, input, ctx.services.now());
    noteAudit(ctx, { target: budget.id });
    // A budget set below what is already spent alerts at once, not at the next call.
    await checkBudgets(ctx.db, pubsubAfterCommit(ctx), workspaceId, ctx.services.now());
    return budget;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'False when no budget in scope has this id.' })
  deleteBudget(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return deleteBudget(ctx.db, who(ctx).scope, id);
  }
}
