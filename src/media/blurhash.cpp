// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "blurhash.h"

#include <QImage>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace MatrixUpload::BlurHash {
namespace {

// Every expression below keeps the reference's order of operations, so the doubles round the
// same way and the strings match character for character.

constexpr char digits[]
    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

void appendBase83(QString &out, int value, int length)
{
    int divisor = 1;
    for (int i = 1; i < length; ++i)
        divisor *= 83;
    for (int i = 0; i < length; ++i) {
        out += QLatin1Char(digits[(value / divisor) % 83]);
        divisor /= 83;
    }
}

double srgbToLinear(int value)
{
    const double v = value / 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

int linearToSrgb(double value)
{
    const double v = std::max(0.0, std::min(1.0, value));
    if (v <= 0.0031308)
        return static_cast<int>(std::trunc(v * 12.92 * 255 + 0.5));
    return static_cast<int>(std::trunc((1.055 * std::pow(v, 1 / 2.4) - 0.055) * 255 + 0.5));
}

double signPow(double value, double exponent)
{
    return (value < 0 ? -1 : 1) * std::pow(std::abs(value), exponent);
}

int quantiseAc(double value, double maximum)
{
    return static_cast<int>(std::floor(
        std::max(0.0, std::min(18.0, std::floor(signPow(value / maximum, 0.5) * 9 + 9.5)))));
}

using Factor = std::array<double, 3>;

} // namespace

QString encode(const QImage &image, int xComponents, int yComponents)
{
    if (image.isNull() || xComponents < 1 || xComponents > 9 || yComponents < 1 || yComponents > 9)
        return {};
    const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
    const int width = rgba.width();
    const int height = rgba.height();

    // The sRGB-to-linear values of each channel, once per pixel rather than once per component.
    std::vector<double> linear(static_cast<size_t>(width) * height * 3);
    for (int y = 0; y < height; ++y) {
        const uchar *line = rgba.constScanLine(y);
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < 3; ++c)
                linear[(static_cast<size_t>(y) * width + x) * 3 + c]
                    = srgbToLinear(line[x * 4 + c]);
        }
    }

    std::vector<Factor> factors;
    factors.reserve(static_cast<size_t>(xComponents) * yComponents);
    for (int j = 0; j < yComponents; ++j) {
        for (int i = 0; i < xComponents; ++i) {
            const double normalisation = (i == 0 && j == 0) ? 1 : 2;
            Factor sum { 0, 0, 0 };
            // Columns outer, rows inner: the reference's order of summation.
            for (int x = 0; x < width; ++x) {
                const double column = normalisation * std::cos(std::numbers::pi * i * x / width);
                for (int y = 0; y < height; ++y) {
                    const double basis = column * std::cos(std::numbers::pi * j * y / height);
                    const double *pixel = &linear[(static_cast<size_t>(y) * width + x) * 3];
                    for (int c = 0; c < 3; ++c)
                        sum[c] += basis * pixel[c];
                }
            }
            const double scale = 1.0 / (static_cast<double>(width) * height);
            factors.push_back({ sum[0] * scale, sum[1] * scale, sum[2] * scale });
        }
    }

    QString hash;
    appendBase83(hash, (xComponents - 1) + (yComponents - 1) * 9, 1);
    double maximum = 1;
    if (factors.size() > 1) {
        double actual = -std::numeric_limits<double>::infinity();
        for (size_t k = 1; k < factors.size(); ++k)
            actual = std::max({ actual, factors[k][0], factors[k][1], factors[k][2] });
        const int quantised = static_cast<int>(
            std::floor(std::max(0.0, std::min(82.0, std::floor(actual * 166 - 0.5)))));
        maximum = (quantised + 1) / 166.0;
        appendBase83(hash, quantised, 1);
    } else {
        appendBase83(hash, 0, 1);
    }
    const Factor &dc = factors.front();
    appendBase83(
        hash, (linearToSrgb(dc[0]) << 16) + (linearToSrgb(dc[1]) << 8) + linearToSrgb(dc[2]), 4);
    for (size_t k = 1; k < factors.size(); ++k) {
        const Factor &ac = factors[k];
        appendBase83(hash,
            quantiseAc(ac[0], maximum) * 19 * 19 + quantiseAc(ac[1], maximum) * 19
                + quantiseAc(ac[2], maximum),
            2);
    }
    return hash;
}

} // namespace MatrixUpload::BlurHash
