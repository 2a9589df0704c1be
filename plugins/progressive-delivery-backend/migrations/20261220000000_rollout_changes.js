// @ts-check

/**
 * What changed in each rollout (issue 16): the differences between the promoted revision and the
 * one under analysis as the recorder derived them while the rollout ran (RolloutChanges, JSON),
 * and what the next rollout compares with: Flagger's `status.trackedConfigs` checksums (JSON,
 * `configmap/<name>` | `secret/<name>` -> checksum, never a value) and the Flux source revision
 * applied (e.g. `main@sha1:<sha>`) while this rollout ran and when it was promoted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('rollouts', table => {
    table
      .text('changes')
      .nullable()
      .comment('RolloutChanges as JSON, derived while the rollout ran');
    table
      .text('tracked_configs')
      .nullable()
      .comment('status.trackedConfigs as JSON: checksums, never values');
    table
      .text('source_revision')
      .nullable()
      .comment('The Flux revision applied, e.g. main@sha1:<sha>');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('rollouts', table => {
    table.dropColumn('changes');
    table.dropColumn('tracked_configs');
    table.dropColumn('source_revision');
  });
};
