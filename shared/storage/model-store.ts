import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
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

export async function requireModel(modelId: string): Promise<StoredModel> {
  const model = await findModel(modelId);
  if (!model)
    throw new NotFoundProblem(`Model "${modelId}" does not exist; create it with PUT /v1/models/${modelId}`);
  return model;
}
