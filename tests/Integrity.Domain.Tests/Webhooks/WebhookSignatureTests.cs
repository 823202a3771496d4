using System.Security.Cryptography;
using System.Text;
using Integrity.Domain.Webhooks;

namespace Integrity.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-test-0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"d-1","type":"decision"}""");

    [Fact]
    public void Signature_is_the_hex_HMAC_SHA256_of_timestamp_dot_body_as_Stripe_signs()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);

        var t = At.ToUnixTimeSeconds();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{Encoding.UTF8.GetString(Body)}")));
        Assert.Equal($"t={t},v1={expected}", header);
    }

    [Fact]
    public void A_signed_body_verifies_within_the_tolerance()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);

        Assert.True(WebhookSignature.Verify(header, Secret, Body, At.AddMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_tampered_body_fails_verification()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);
        var tampered = Encoding.UTF8.GetBytes("""{"id":"d-1","type":"decisioN"}""");

        Assert.False(WebhookSignature.Verify(header, Secret, tampered, At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Another_secret_a_moved_timestamp_or_an_old_request_fail_verification()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);
        var t = At.ToUnixTimeSeconds();

        Assert.False(WebhookSignature.Verify(header, Secret + "x", Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header.Replace($"t={t}", $"t={t + 1}", StringComparison.Ordinal), Secret, Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, Secret, Body, At.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("v1=00", Secret, Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("", Secret, Body, At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Any_of_several_v1_signatures_may_match()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);
        var other = WebhookSignature.Sign("another-secret-0123456789abcdef0123", At, Body);
        var both = $"{other},{header.Split(',')[1]}";

        Assert.True(WebhookSignature.Verify(both, Secret, Body, At, TimeSpan.FromMinutes(5)));
    }
}

public sealed class WebhookBackoffTests
{
    [Theory]
    [InlineData(1, 1000, 2000)]
    [InlineData(2, 2000, 4000)]
    [InlineData(3, 4000, 8000)]
    [InlineData(40, 30_000, 60_000)]
    public void Delay_doubles_per_attempt_up_to_the_maximum_with_half_of_it_jittered(int attempt, int lowMs, int highMs)
    {
        var initial = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(1);

        Assert.Equal(TimeSpan.FromMilliseconds(lowMs), WebhookBackoff.Delay(attempt, initial, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(highMs), WebhookBackoff.Delay(attempt, initial, max, 1));
        var mid = WebhookBackoff.Delay(attempt, initial, max, 0.5);
        Assert.InRange(mid, TimeSpan.FromMilliseconds(lowMs), TimeSpan.FromMilliseconds(highMs));
    }

    [Fact]
    public void A_failure_past_the_retry_period_is_final()
    {
        var enqueued = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

        Assert.NotNull(WebhookBackoff.NextAttempt(enqueued, enqueued.AddHours(23), 10, TimeSpan.FromHours(24), TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), 0.3));
        Assert.Null(WebhookBackoff.NextAttempt(enqueued, enqueued.AddHours(24), 11, TimeSpan.FromHours(24), TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), 0.3));
    }
}

public sealed class DeliveryOrderTests
{
    private sealed record Item(string Entity, int Seq, DateTimeOffset Due);

    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_each_entitys_oldest_item_is_sent_and_a_waiting_one_holds_back_only_its_own_entity()
    {
        Item[] queue =
        [
            new("X", 1, Now.AddMinutes(5)),
            new("Y", 2, Now),
            new("X", 3, Now),
            new("Y", 4, Now),
            new("Z", 5, Now.AddSeconds(-1)),
        ];

        var due = DeliveryOrder.DueHeads(queue, i => i.Entity, i => i.Due, Now);

        Assert.Equal([2, 5], due.Select(i => i.Seq));
        Assert.Equal(Now.AddSeconds(-1), DeliveryOrder.NextDue(queue, i => i.Entity, i => i.Due));
    }
}

public sealed class SecretBoxTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    [Fact]
    public void A_sealed_secret_opens_under_its_key_and_context_only()
    {
        var sealedSecret = SecretBox.Seal(Key, "the-secret-0123456789abcdef0123456789", "endpoint-a");

        Assert.DoesNotContain("the-secret", sealedSecret, StringComparison.Ordinal);
        Assert.Equal("the-secret-0123456789abcdef0123456789", SecretBox.Open(Key, sealedSecret, "endpoint-a"));
        Assert.Null(SecretBox.Open(Key, sealedSecret, "endpoint-b"));
        Assert.Null(SecretBox.Open([.. Key.Select(b => (byte)(b ^ 1))], sealedSecret, "endpoint-a"));
        var bytes = Convert.FromBase64String(sealedSecret);
        bytes[^1] ^= 1;
        Assert.Null(SecretBox.Open(Key, Convert.ToBase64String(bytes), "endpoint-a"));
    }
}
