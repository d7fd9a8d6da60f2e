package dev.verdict.moderation.ui;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The web pages of moderators, appeal reviewers and advertisers: each deep link is answered with its page (static
 * HTML under {@code static/ui/}), which then reads and writes through the JSON API with the visitor's credentials.
 * The pages hold no data, so they are public; the API calls are not.
 */
@Controller
class UiPages {

    @GetMapping({"/ui", "/ui/"})
    String home() {
        return "forward:/ui/home.html";
    }

    @GetMapping("/ui/advertisers/{advertiserId}")
    String advertiser() {
        return "forward:/ui/advertiser.html";
    }

    @GetMapping("/ui/advertisers/{advertiserId}/decisions/new")
    String issueDecision() {
        return "forward:/ui/issue-decision.html";
    }

    @GetMapping("/ui/advertisers/{advertiserId}/appeals/{appealId}")
    String decideAppeal() {
        return "forward:/ui/decide-appeal.html";
    }
}
