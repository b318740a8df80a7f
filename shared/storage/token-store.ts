import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { tokensTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";

export interface StoredToken {
  tokenId: string;
  modelId: string;
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

export async function saveToken(token: StoredToken): Promise<void> {
  await dynamoDbClient().send(
    new PutCommand({
      TableName: tableName(tokensTable),
      Item: token,
      ConditionExpression: "attribute_not_exists(tokenId)",
    }),
  );
}

export async function findToken(tokenId: string): Promise<StoredToken | undefined> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(tokensTable), Key: { tokenId }, ConsistentRead: true }),
  );
  return Item as StoredToken | undefined;
}

/** Marks a model's token revoked; false when no such token belongs to that model. */
export async function revokeToken(modelId: string, tokenId: string, at: Date): Promise<boolean> {
  try {
    await dynamoDbClient().send(
      new UpdateCommand({
        TableName: tableName(tokensTable),
        Key: { tokenId },
        UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :at)",
        ConditionExpression: "modelId = :modelId",
        ExpressionAttributeValues: { ":at": at.toISOString(), ":modelId": modelId },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
