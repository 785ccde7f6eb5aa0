// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The Widgets upload manager with many rows while they upload (issue 15, item 4): enqueues every
// file named on the command line at once into an UploadManager (eight at a time) shown in an
// UploadManagerWidget, and while the uploads run renders the widget every 100 ms (grab(): layout
// and paint of what is visible) and measures how late a 10 ms timer fires (how long the event
// loop was busy; ticks that waited behind a grab() are left out). Prints the enqueue time, paint
// times and timer lateness (median, 95th percentile, worst) and files per second. Built and run by
// bench/manyrows.sh; not a test.
//   manyrows BASE_URL TOKEN FILE...
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace MatrixUpload;

namespace {
struct Figures
{
    double median = 0, p95 = 0, worst = 0;
};

Figures figuresOf(QList<double> values)
{
    if (values.isEmpty())
        return {};
    std::sort(values.begin(), values.end());
    const auto at = [&values](double q) {
        return values.at(
            std::min<qsizetype>(values.size() - 1, qsizetype(q * double(values.size()))));
    };
    return { at(0.5), at(0.95), values.last() };
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: manyrows BASE_URL TOKEN FILE...\n");
        return 2;
    }
    QNetworkAccessManager nam;
    MediaApi api(&nam);
    api.setHomeserver(QUrl(args.at(1)));
    api.setAccessToken(args.at(2));
    UploadManager manager(&api);
    manager.setMaxParallel(8);
    UploadManagerWidget widget(&manager);
    widget.resize(900, 700);
    widget.show();

    QList<double> paintMs;
    QList<double> latenessMs;
    QElapsedTimer clock;
    clock.start();
    const QStringList files = args.mid(3);
    const QList<UploadJob *> jobs = manager.enqueue(files);
    const double enqueueMs = double(clock.nsecsElapsed()) / 1e6;

    QTimer paint;
    paint.setInterval(100);
    bool grabbed = false; // a tick that waited behind our own grab() says nothing of the uploads
    QObject::connect(&paint, &QTimer::timeout, &widget, [&] {
        QElapsedTimer t;
        t.start();
        const QPixmap frame = widget.grab();
        paintMs.append(double(t.nsecsElapsed()) / 1e6);
        grabbed = true;
        Q_UNUSED(frame);
    });
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QElapsedTimer sinceTick;
    QObject::connect(&tick, &QTimer::timeout, &widget, [&] {
        if (sinceTick.isValid() && !grabbed)
            latenessMs.append(std::max(0.0, double(sinceTick.nsecsElapsed()) / 1e6 - 10.0));
        grabbed = false;
        sinceTick.restart();
    });
    paint.start();
    tick.start();
    QObject::connect(&manager, &UploadManager::idle, &app, &QCoreApplication::quit);
    app.exec();
    const double totalS = double(clock.nsecsElapsed()) / 1e9;

    const auto completed = std::count_if(jobs.begin(), jobs.end(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Completed; });
    const Figures p = figuresOf(paintMs);
    const Figures l = figuresOf(latenessMs);
    std::printf("rows %lld, completed %lld, enqueue %.0f ms, all done in %.1f s (%.1f files/s)\n",
        static_cast<long long>(jobs.size()), static_cast<long long>(completed), enqueueMs, totalS,
        double(completed) / totalS);
    std::printf("paint (grab) ms: median %.1f, p95 %.1f, worst %.1f over %lld frames\n", p.median,
        p.p95, p.worst, static_cast<long long>(paintMs.size()));
    std::printf(
        "10 ms timer late by ms: median %.1f, p95 %.1f, worst %.1f\n", l.median, l.p95, l.worst);
    return completed == jobs.size() ? 0 : 1;
}
