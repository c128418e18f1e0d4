package example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Java sample the rewrite tests build three ways: a greeting and a list of notes it can add to. */
public final class Hello {
  private static final List<String> NOTES = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
    server.createContext("/", exchange -> {
      String greeting = System.getenv().getOrDefault("GREETING", "hello");
      answer(exchange, 200, greeting + " from java " + Runtime.version().feature() + "\n");
    });
    server.createContext("/notes", exchange -> {
      synchronized (NOTES) {
        if ("POST".equals(exchange.getRequestMethod())) {
          NOTES.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
          answer(exchange, 201, "note " + NOTES.size() + "\n");
        } else {
          answer(exchange, 200, String.join("\n", NOTES) + "\n");
        }
      }
    });
    server.start();
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
