package example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Notes kept one per line in data/notes.txt: GET / greets, GET /notes lists, POST /notes appends. */
public final class NotesServer {
  private static final Path DATA = Path.of("data");
  private static final Path NOTES = DATA.resolve("notes.txt");

  public static void main(String[] args) throws Exception {
    Files.createDirectories(DATA);
    HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
    server.createContext("/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        send(exchange, 404, "not found\n");
        return;
      }
      String greeting = System.getenv().getOrDefault("NOTES_GREETING", "hello");
      send(exchange, 200, greeting + " on java " + Runtime.version().feature() + "\n");
    });
    server.createContext("/notes", exchange -> {
      if (exchange.getRequestMethod().equals("POST")) {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          send(exchange, 400, "empty note\n");
          return;
        }
        try {
          Files.writeString(NOTES, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          send(exchange, 500, "cannot save: " + e + "\n");
          return;
        }
        send(exchange, 201, "saved\n");
        return;
      }
      List<String> notes = Files.exists(NOTES) ? Files.readAllLines(NOTES, StandardCharsets.UTF_8) : List.of();
      send(exchange, 200, String.join("\n", notes) + "\n");
    });
    server.start();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
