/** Emulators accept any credentials; fixed dummy ones keep a developer's real AWS keys out of play. */
export const LOCAL_REGION = "us-east-1";
export const localCredentials = { accessKeyId: "test", secretAccessKey: "test" };
