import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  alertSubscriptionQueues,
  alertsTopic,
  dataBucket,
  type KeyDefinition,
  queues,
  type TableDefinition,
  tables,
} from "#shared/aws/resources";
import { LOCAL_REGION, localCredentials } from "./local-credentials.ts";

export interface LocalEndpoints {
  /** fauxqs: S3, SNS and SQS. */
  aws: string;
  dynamoDb: string;
}

/** The environment a handler would get from the CDK stack, pointing at the local resources. */
export type ResourceEnvironment = Record<string, string>;

const keySchema = ({ partitionKey, sortKey }: TableDefinition) => [
  { AttributeName: partitionKey.name, KeyType: "HASH" as const },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: "RANGE" as const }] : []),
];

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  return [table.partitionKey, table.sortKey]
    .filter((key): key is KeyDefinition => key !== undefined)
    .map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

/** CreateTable input built from the shared definition, exactly as the CDK stack reads it. */
export function createTableInput(table: TableDefinition) {
  return {
    TableName: table.localName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: attributeDefinitions(table),
    KeySchema: keySchema(table),
    ...(table.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } } : {}),
  };
}

async function provisionTable(dynamoDb: DynamoDBClient, table: TableDefinition): Promise<void> {
  try {
    await dynamoDb.send(new CreateTableCommand(createTableInput(table)));
  } catch (error) {
    // Persisted data from an earlier run: the table is already there.
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  if (table.timeToLiveAttribute) {
    await dynamoDb.send(
      new UpdateTimeToLiveCommand({
        TableName: table.localName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

/**
 * Creates every table, the bucket, the topic and the queues of the shared definitions on the
 * emulators (idempotently) and returns the environment variables the handlers read them from.
 */
export async function provisionLocalResources(endpoints: LocalEndpoints): Promise<ResourceEnvironment> {
  const common = { region: LOCAL_REGION, credentials: localCredentials };
  const dynamoDb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamoDb });
  const s3 = new S3Client({ ...common, endpoint: endpoints.aws, forcePathStyle: true });
  const sns = new SNSClient({ ...common, endpoint: endpoints.aws });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.aws, useQueueUrlAsEndpoint: false });
  try {
    const environment: ResourceEnvironment = {};
    for (const table of tables) {
      await provisionTable(dynamoDb, table);
      environment[table.envVar] = table.localName;
    }
    await s3.send(new CreateBucketCommand({ Bucket: dataBucket.localName })).catch((error: Error) => {
      if (!/BucketAlready/.test(error.name)) throw error;
    });
    environment[dataBucket.envVar] = dataBucket.localName;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: alertsTopic.localName }));
    environment[alertsTopic.envVar] = TopicArn as string;
    for (const queue of queues) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue.localName }));
      environment[queue.envVar] = QueueUrl as string;
    }
    for (const queue of alertSubscriptionQueues) {
      await subscribeQueue(
        sns,
        sqs,
        TopicArn as string,
        environment[queue.envVar] as string,
        queue.filterPolicy,
      );
    }
    return environment;
  } finally {
    for (const client of [dynamoDb, s3, sns, sqs]) client.destroy();
  }
}

/** Subscribes a queue to the topic with a filter policy, as the CDK stack does; once, across runs. */
export async function subscribeQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  queueUrl: string,
  filterPolicy: Record<string, string[]>,
): Promise<void> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueArn = Attributes?.QueueArn as string;
  const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  if (Subscriptions.some((subscription) => subscription.Endpoint === queueArn)) return;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: queueArn,
      Attributes: { FilterPolicy: JSON.stringify(filterPolicy) },
    }),
  );
}
