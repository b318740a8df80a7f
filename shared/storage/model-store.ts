import { GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { modelsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import { NotFoundProblem } from "#shared/http/problem";
import type { ModelConfig } from "#shared/schemas/model-config";

export interface StoredModel {
  modelId: string;
  config: ModelConfig;
  updatedAt: string;
}

export async function saveModel(model: StoredModel): Promise<void> {
  await dynamoDbClient().send(new PutCommand({ TableName: tableName(modelsTable), Item: model }));
}

export async function findModel(modelId: string): Promise<StoredModel | undefined> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(modelsTable), Key: { modelId }, ConsistentRead: true }),
  );
  return Item as StoredModel | undefined;
}

/** Every model, a page of the table at a time: the scheduler's and the schedule resync's walk. */
export async function listModels(): Promise<StoredModel[]> {
  const models: StoredModel[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbClient().send(
      new ScanCommand({ TableName: tableName(modelsTable), ExclusiveStartKey: start }),
    );
    models.push(...((page.Items ?? []) as StoredModel[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return models;
}

export async function requireModel(modelId: string): Promise<StoredModel> {
  const model = await findModel(modelId);
  if (!model)
    throw new NotFoundProblem(`Model "${modelId}" does not exist; create it with PUT /v1/models/${modelId}`);
  return model;
}
