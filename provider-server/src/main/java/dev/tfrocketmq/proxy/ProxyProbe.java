package dev.tfrocketmq.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import apache.rocketmq.v2.Address;
import apache.rocketmq.v2.AddressScheme;
import apache.rocketmq.v2.Code;
import apache.rocketmq.v2.Endpoints;
import apache.rocketmq.v2.MessagingServiceGrpc;
import apache.rocketmq.v2.QueryRouteRequest;
import apache.rocketmq.v2.QueryRouteResponse;
import apache.rocketmq.v2.Resource;
import dev.tfrocketmq.admin.AdminCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One call of the RocketMQ 5 client protocol (gRPC {@code apache.rocketmq.v2.MessagingService/QueryRoute}, as
 * rocketmq-client-java makes it) against a proxy: an answer proves the proxy serves clients and reaches the name
 * servers. With credentials, the request is signed the way 5.x clients sign (HMAC-SHA1 of the request time).
 */
final class ProxyProbe {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> DATE_TIME =
            Metadata.Key.of("x-mq-date-time", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CLIENT_ID =
            Metadata.Key.of("x-mq-client-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> LANGUAGE =
            Metadata.Key.of("x-mq-language", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> PROTOCOL =
            Metadata.Key.of("x-mq-protocol", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-mq-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final DateTimeFormatter DATE_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /**
     * A topic nobody creates: the proxy answers "not found" after asking the name servers, which proves as much as a
     * route would (system topics are refused before any lookup).
     */
    static final String TOPIC = "terraform-provider-rocketmq-readiness-probe";

    static {
        // rocketmq-proto's generated classes predate protobuf 22; without this, protobuf prints a warning per class.
        if (System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode") == null) {
            System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true");
        }
    }

    /** What the proxy answered. */
    record Answer(Code code, String message) {
        /** The proxy served the request: a route, or a definite "no such topic". */
        boolean serves() {
            return code == Code.OK || code == Code.TOPIC_NOT_FOUND;
        }

        boolean refusedCredentials() {
            return code == Code.UNAUTHORIZED || code == Code.FORBIDDEN;
        }
    }

    private ProxyProbe() {}

    /** Asks the proxy at {@code host:port} for a route; throws {@link StatusRuntimeException} when it does not answer. */
    static Answer queryRoute(String host, int port, Optional<AdminCredentials> credentials, long timeoutMillis) {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            Metadata headers = headers(credentials);
            QueryRouteRequest request = QueryRouteRequest.newBuilder()
                    .setTopic(Resource.newBuilder().setName(TOPIC))
                    .setEndpoints(Endpoints.newBuilder()
                            .setScheme(AddressScheme.IPv4)
                            .addAddresses(Address.newBuilder().setHost(host).setPort(port)))
                    .build();
            QueryRouteResponse response = MessagingServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                    .queryRoute(request);
            return new Answer(
                    response.getStatus().getCode(), response.getStatus().getMessage());
        } finally {
            channel.shutdownNow();
        }
    }

    private static Metadata headers(Optional<AdminCredentials> credentials) {
        Metadata m = new Metadata();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DATE_TIME_FORMAT);
        m.put(DATE_TIME, now);
        m.put(
                CLIENT_ID,
                "terraform-provider-rocketmq@" + ProcessHandle.current().pid());
        m.put(LANGUAGE, "JAVA");
        m.put(PROTOCOL, "v2");
        m.put(REQUEST_ID, UUID.randomUUID().toString());
        credentials.ifPresent(c -> m.put(
                AUTHORIZATION,
                "MQv2-HMAC-SHA1 Credential=" + c.accessKey() + ", SignedHeaders=x-mq-date-time, Signature="
                        + sign(c.secretKey(), now)));
        return m;
    }

    /** Hex of HMAC-SHA1 of the request time under the secret key, as 5.x clients sign. */
    static String sign(String secretKey, String dateTime) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secretKey.getBytes(UTF_8), "HmacSHA1"));
            return HexFormat.of().withUpperCase().formatHex(mac.doFinal(dateTime.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }
}
