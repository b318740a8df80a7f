import { Stack } from "aws-cdk-lib";
import { CfnWorkGroup } from "aws-cdk-lib/aws-athena";
import { CfnDatabase, CfnTable } from "aws-cdk-lib/aws-glue";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { dataBucket } from "#shared/aws/resources";
import { ATHENA_RESULTS_PREFIX } from "../data-stack.ts";

export const GLUE_DATABASE_NAME = "driftwatch";
export const PREDICTION_LOG_TABLE_NAME = "prediction_logs";
export const ATHENA_WORKGROUP_NAME = "driftwatch";
/** A query stops after scanning 10 GiB (5 US cents at Athena's price), whatever it asked for. */
export const BYTES_SCANNED_CUTOFF_PER_QUERY = 10 * 1024 ** 3;

/**
 * The columns of one stored record, a line of a log object (shared/schemas/prediction-record.ts
 * StoredRecord). Features have arbitrary names and values of several types: a map of strings, cast
 * in the query. The JSON SerDe is case-sensitive (feature names are), so the one key with capitals
 * is mapped to its lower-case column.
 */
export const predictionLogColumns: readonly CfnTable.ColumnProperty[] = [
  { name: "id", type: "string", comment: "The record's id, given or generated at ingest" },
  { name: "timestamp", type: "string", comment: "ISO-8601, as the client gave it or the receipt time" },
  { name: "features", type: "map<string,string>", comment: "Feature values by name; numbers as text" },
  { name: "prediction", type: "string", comment: "The prediction, a class or a number as text" },
  { name: "probabilities", type: "map<string,double>", comment: "Class probabilities, if logged" },
  { name: "latencyms", type: "double", comment: "Inference latency in milliseconds (latencyMs)" },
  { name: "error", type: "boolean", comment: "Whether the inference failed" },
  { name: "version", type: "string", comment: "Model version, if logged" },
  { name: "segment", type: "string", comment: "Traffic segment, if logged" },
];
const JSON_KEYS_OF_COLUMNS = { latencyms: "latencyMs" };

/** Hive partitions of the log keys (shared/storage/log-keys.ts), all in UTC and by receipt time. */
export const predictionLogPartitionKeys: readonly CfnTable.ColumnProperty[] = [
  { name: "model", type: "string", comment: "Model id; a query must name it (model = '...')" },
  { name: "dt", type: "string", comment: "Day the records were received, yyyy-MM-dd (UTC)" },
  { name: "hour", type: "string", comment: "Hour the records were received, 00-23 (UTC)" },
];

export interface PredictionLogQueriesProps {
  readonly dataBucket: IBucket;
  /** Days raw logs are kept: the oldest day partition projection offers. */
  readonly retentionDays: number;
}

/**
 * The raw prediction logs as an Athena table, without a crawler or partitions to maintain: partition
 * projection computes each partition's location from the query's model, day and hour. The model ids
 * are only known at run time, so every query must name its model (an injected projection). The
 * workgroup enforces where results go (encrypted, under athena-results/ in the data bucket, which
 * expires them) and stops queries that would scan too much.
 */
export class PredictionLogQueries extends Construct {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: PredictionLogQueriesProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const logs = `s3://${props.dataBucket.bucketName}/${dataBucket.logsPrefix}`;

    this.database = new CfnDatabase(this, "Database", {
      catalogId: account,
      databaseInput: {
        name: GLUE_DATABASE_NAME,
        description: "DriftWatch: the raw prediction logs, for Athena",
      },
    });
    this.table = new CfnTable(this, "PredictionLogTable", {
      catalogId: account,
      databaseName: this.database.ref,
      tableInput: {
        name: PREDICTION_LOG_TABLE_NAME,
        description:
          "Every accepted prediction record, one JSON line each, in gzip objects by model, day and hour",
        tableType: "EXTERNAL_TABLE",
        parameters: {
          classification: "json",
          compressionType: "gzip",
          "projection.enabled": "true",
          "projection.model.type": "injected",
          "projection.dt.type": "date",
          "projection.dt.format": "yyyy-MM-dd",
          // Older days hold nothing: S3 has expired their logs.
          "projection.dt.range": `NOW-${props.retentionDays}DAYS,NOW`,
          "projection.dt.interval": "1",
          "projection.dt.interval.unit": "DAYS",
          "projection.hour.type": "integer",
          "projection.hour.range": "0,23",
          "projection.hour.digits": "2",
          "storage.location.template": `${logs}model=\${model}/dt=\${dt}/hour=\${hour}/`,
        },
        partitionKeys: [...predictionLogPartitionKeys],
        storageDescriptor: {
          location: logs,
          inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          compressed: true,
          serdeInfo: {
            serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
            parameters: {
              // Case-insensitive matching would lower-case the feature names, the map's keys.
              "case.insensitive": "false",
              ...Object.fromEntries(
                Object.entries(JSON_KEYS_OF_COLUMNS).map(([column, key]) => [`mapping.${column}`, key]),
              ),
            },
          },
          columns: [...predictionLogColumns],
        },
      },
    });

    this.workGroup = new CfnWorkGroup(this, "WorkGroup", {
      name: ATHENA_WORKGROUP_NAME,
      description: "DriftWatch: queries over the raw prediction logs",
      state: "ENABLED",
      // Deleting the stack deletes the workgroup with its saved queries; results stay in S3 until expiry.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: `s3://${props.dataBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
          expectedBucketOwner: account,
        },
      },
    });
  }
}
