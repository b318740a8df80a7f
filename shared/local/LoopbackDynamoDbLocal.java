import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Server;

/**
 * DynamoDB Local bound to 127.0.0.1 only: its own launcher has no bind-address option and listens
 * on every interface. Same request handler as `-sharedDb`, in memory or persisted to a folder.
 * Usage: java -cp 'DynamoDBLocal.jar:DynamoDBLocal_lib/*' LoopbackDynamoDbLocal.java PORT [DB_DIR]
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String dbPath = args.length > 1 ? args[1] : null;
    boolean inMemory = dbPath == null;
    boolean sharedDb = true;
    boolean delayTransientStatuses = false;
    LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
        new LocalDynamoDBRequestHandler(0, inMemory, dbPath, sharedDb, delayTransientStatuses), null);
    // The proxy only assembles the handler chain here; its own all-interfaces server is never started.
    DynamoDBProxyServer proxy = new DynamoDBProxyServer(port, handler);
    Server server = new Server(new InetSocketAddress("127.0.0.1", port));
    server.setHandler(proxy.setUpHandler(handler));
    server.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + port);
    server.join();
  }
}
