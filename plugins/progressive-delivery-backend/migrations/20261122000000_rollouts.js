// @ts-check

/**
 * The rollout history: one row per canary revision, and Flagger's events per canary (kept
 * beyond Kubernetes' one-hour event lifetime). Times are epoch milliseconds, so SQLite and
 * PostgreSQL compare and subtract them alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollouts', table => {
    table.comment('One rollout (canary revision) per row');
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('canary', 253).notNullable();
    table
      .string('revision', 255)
      .notNullable()
      .comment('status.lastAppliedSpec');
    table.string('previous_revision', 255).nullable();
    table.string('entity_ref', 510).nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('ended_at').nullable();
    table.string('outcome', 16).notNullable();
    table.integer('max_weight').notNullable().defaultTo(0);
    table.integer('failed_checks').notNullable().defaultTo(0);
    table.text('failure_reason').nullable();
    table.string('approved_by', 510).nullable();
    table.bigInteger('approved_at').nullable();
    table.string('rolled_back_by', 510).nullable();
    table.bigInteger('rolled_back_at').nullable();
    table.bigInteger('updated_at').notNullable();
    table.unique(['cluster', 'namespace', 'canary', 'revision'], {
      indexName: 'rollouts_canary_revision_idx',
    });
    table.index(['entity_ref', 'started_at'], 'rollouts_entity_idx');
    table.index(['ended_at'], 'rollouts_ended_idx');
  });
  await knex.schema.createTable('rollout_events', table => {
    table.comment('Flagger events per canary');
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('canary', 253).notNullable();
    table.string('uid', 255).notNullable();
    // Kubernetes folds repeats of a message into one event with a growing count; each count
    // is one occurrence, so a repeat in a later rollout does not move the earlier one.
    table.integer('occurrence').notNullable();
    table.bigInteger('timestamp').notNullable();
    table.string('type', 16).notNullable();
    table.string('reason', 255).notNullable();
    table.text('message').notNullable();
    table.string('category', 32).notNullable();
    table.unique(['cluster', 'namespace', 'canary', 'uid', 'occurrence'], {
      indexName: 'rollout_events_uid_idx',
    });
    table.index(
      ['cluster', 'namespace', 'canary', 'timestamp'],
      'rollout_events_time_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('rollout_events');
  await knex.schema.dropTable('rollouts');
};
