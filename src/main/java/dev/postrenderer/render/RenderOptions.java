package dev.postrenderer.render;

import dev.postrenderer.post.UrlPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Site-wide settings that change how pages render.
 *
 * @param siteUrl  public base URL without a trailing slash; enables canonical, {@code og:url} and
 *                 absolute image URLs
 * @param siteName the site's name ({@code og:site_name} and the page header)
 * @param siteLang the default {@code <html lang>}
 * @param rawHtml  what happens to raw HTML in markdown
 * @param siteDescription what the site is about, for the front page when no {@code index.md} says
 */
public record RenderOptions(Optional<String> siteUrl, Optional<String> siteName, String siteLang, RawHtmlPolicy rawHtml,
                            Optional<String> siteDescription) {

    private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

    /** No site URL or name, English, sanitised raw HTML. */
    public static final RenderOptions DEFAULTS =
            new RenderOptions(Optional.empty(), Optional.empty(), "en", RawHtmlPolicy.SANITIZE);

    /** Options without a site description. */
    public RenderOptions(Optional<String> siteUrl, Optional<String> siteName, String siteLang, RawHtmlPolicy rawHtml) {
        this(siteUrl, siteName, siteLang, rawHtml, Optional.empty());
    }

    public RenderOptions {
        Objects.requireNonNull(siteUrl, "siteUrl == null");
        siteDescription = Objects.requireNonNull(siteDescription, "siteDescription == null").map(String::strip)
                .filter(s -> !s.isEmpty());
        Objects.requireNonNull(siteName, "siteName == null");
        Objects.requireNonNull(siteLang, "siteLang == null");
        Objects.requireNonNull(rawHtml, "rawHtml == null");
        siteUrl = siteUrl.map(String::strip).filter(s -> !s.isEmpty()).map(RenderOptions::withoutTrailingSlash);
        siteUrl.ifPresent(url -> {
            if (!UrlPolicy.isAbsoluteHttp(url) || url.contains("?") || url.contains("#")) {
                throw new IllegalArgumentException("SITE_URL must be an absolute http(s) URL such as"
                        + " https://blog.example.com, not '" + url + "'");
            }
        });
        siteName = siteName.map(String::strip).filter(s -> !s.isEmpty());
        if (!LANG.matcher(siteLang).matches()) {
            throw new IllegalArgumentException("SITE_LANG must be a language tag such as en or pt-BR, not '"
                    + siteLang + "'");
        }
    }

    /** What the site is called: its name, else the host (and path) of its URL; empty if it has neither. */
    public Optional<String> siteTitle() {
        return siteName.or(() -> siteUrl.map(url -> url.substring(url.indexOf("//") + 2)));
    }

    /** These options with another site URL. */
    public RenderOptions withSiteUrl(String url) {
        return new RenderOptions(Optional.ofNullable(url), siteName, siteLang, rawHtml, siteDescription);
    }

    /** These options with another site name. */
    public RenderOptions withSiteName(String name) {
        return new RenderOptions(siteUrl, Optional.ofNullable(name), siteLang, rawHtml, siteDescription);
    }

    /** These options with another raw HTML policy. */
    public RenderOptions withRawHtml(RawHtmlPolicy policy) {
        return new RenderOptions(siteUrl, siteName, siteLang, policy, siteDescription);
    }

    private static String withoutTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
