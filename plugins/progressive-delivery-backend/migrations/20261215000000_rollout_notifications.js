// @ts-check

/**
 * The notification ledger (issue 16): one row per rollout transition that a backend replica
 * claimed for notifying the canary's owners. The unique key is the transition itself (cluster,
 * namespace, canary, revision = status.lastAppliedSpec, transition), so of several replicas that
 * see the same transition only the one whose insert lands sends, and a restarted backend does
 * not notify again. Times are epoch milliseconds, like `rollouts`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollout_notifications', table => {
    table.comment('One claimed notification per rollout transition');
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('canary', 253).notNullable();
    table
      .string('revision', 255)
      .notNullable()
      .comment('status.lastAppliedSpec');
    table
      .string('transition', 255)
      .notNullable()
      .comment('gate-waiting:<gate>[@<weight>], failed or succeeded');
    table
      .string('claimed_by', 64)
      .notNullable()
      .comment('The claim token of the replica that sends it');
    table.bigInteger('claimed_at').notNullable();
    table.bigInteger('sent_at').nullable();
    table.unique(['cluster', 'namespace', 'canary', 'revision', 'transition'], {
      indexName: 'rollout_notifications_transition_idx',
    });
    table.index(['claimed_at'], 'rollout_notifications_claimed_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('rollout_notifications');
};
