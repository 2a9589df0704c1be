// @ts-check

/**
 * Analysis evidence: what each metric check of a rollout measured, for the canary and the
 * primary (issue 14). Checks are keyed by the rollout's natural key (cluster, namespace, canary,
 * revision = status.lastAppliedSpec, as in `rollouts`), so points can be written before or after
 * the recorder creates the rollout row. Times are epoch milliseconds, like `rollouts`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollout_checks', table => {
    table.comment('One metric check of one rollout');
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('canary', 253).notNullable();
    table
      .string('revision', 255)
      .notNullable()
      .comment('status.lastAppliedSpec');
    table
      .string('metric', 253)
      .notNullable()
      .comment('The name in spec.analysis.metrics');
    table
      .integer('position')
      .notNullable()
      .defaultTo(0)
      .comment('Order among the checks (Flagger runs them in spec order)');
    table.string('unit', 16).nullable();
    table.double('range_min').nullable();
    table.double('range_max').nullable();
    table.text('query_canary').nullable();
    table.text('query_primary').nullable();
    table.text('source').nullable();
    table
      .bigInteger('last_at')
      .notNullable()
      .comment(
        'The newest point, for the retention of checks whose rollout never appeared',
      );
    table.unique(['cluster', 'namespace', 'canary', 'revision', 'metric'], {
      indexName: 'rollout_checks_rollout_idx',
    });
    table.index(['last_at'], 'rollout_checks_last_at_idx');
  });
  await knex.schema.createTable('rollout_points', table => {
    table.comment('One evaluation of one check');
    table.bigIncrements('id').primary();
    table.bigInteger('check_id').notNullable();
    table.bigInteger('at').notNullable();
    table.double('canary_value').nullable();
    table.double('primary_value').nullable();
    table.string('verdict', 8).nullable();
    table.double('canary_weight').nullable();
    table.string('fault_kind', 16).nullable();
    table.text('fault_message').nullable();
    table.string('primary_fault_kind', 16).nullable();
    table.text('primary_fault_message').nullable();
    table.unique(['check_id', 'at'], {
      indexName: 'rollout_points_check_at_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('rollout_points');
  await knex.schema.dropTable('rollout_checks');
};
