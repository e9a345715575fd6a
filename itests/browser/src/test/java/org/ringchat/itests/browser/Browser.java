package org.ringchat.itests.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium through the system's chromedriver (system properties {@code ringchat.chromium} and
 * {@code ringchat.chromedriver}; Debian's packages {@code chromium} and {@code chromium-driver}). Both
 * paths are given, so Selenium Manager downloads nothing. Each browser gets a fresh profile directory.
 */
final class Browser {

    private Browser() {
    }

    /**
     * Skips the test when the browser or its driver is missing, with what to install; fails instead when
     * the environment variable {@code CI} is set, since CI must run it.
     */
    static void assumeInstalled() {
        Path chromium = Path.of(System.getProperty("ringchat.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("ringchat.chromedriver", "/usr/bin/chromedriver"));
        String missing = !Files.isExecutable(chromium) ? chromium.toString()
                : !Files.isExecutable(driver) ? driver.toString() : null;
        if (missing == null) {
            return;
        }
        String message = missing + " is missing: install Chromium and its driver (Debian: apt-get install chromium"
                + " chromium-driver), or name them with -Dringchat.chromium=... -Dringchat.chromedriver=...";
        if (System.getenv("CI") != null) {
            fail("CI must run the browser tests, but " + message);
        }
        Assumptions.abort("browser test skipped: " + message);
    }

    /** A new headless browser with an empty profile in {@code profile}, a 1400×900 window. */
    static ChromeDriver open(Path profile, Path driverLog) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("ringchat.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("ringchat.chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** A PNG of what the browser shows, in the screenshot directory (system property {@code ringchat.screenshots}). */
    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of(System.getProperty("ringchat.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
